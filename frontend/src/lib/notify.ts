import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";
import type { CombinedError } from "urql";
import { errorMessage } from "./errors";

/**
 * A mutation's outcome as a notice: the API's words when it failed, `ok` when it worked.
 * Returns whether it worked, for `notify(await run(...)) && next()`.
 */
export function useNotify() {
  const { t } = useTranslation();
  return (result: { error?: CombinedError }, ok?: string): boolean => {
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return false;
    }
    if (ok) notifications.show({ color: "green", message: ok });
    return true;
  };
}
