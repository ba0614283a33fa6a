import { MantineProvider, mergeThemeOverrides, Notification } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { useEffect, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Provider as UrqlProvider } from "urql";
import { AuthProvider, useAuth } from "./lib/auth";
import { createApiClient } from "./lib/client";
import { cssVariablesResolver, theme } from "./theme";

function ApiProvider({ children }: { children: ReactNode }) {
  const { token, signOut } = useAuth();
  // A new client per token: nothing cached for one broker is ever shown to the next.
  const api = useMemo(() => createApiClient(token, signOut), [token, signOut]);
  useEffect(() => () => void api.ws.dispose(), [api]);
  return <UrqlProvider value={api.client}>{children}</UrqlProvider>;
}

export function Providers({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  // A toast's close button is named in the broker's language (screen readers announce it).
  const themed = useMemo(
    () =>
      mergeThemeOverrides(theme, {
        components: { Notification: Notification.extend({ defaultProps: { closeButtonProps: { "aria-label": t("common.close") } } }) },
      }),
    [t],
  );
  return (
    <MantineProvider theme={themed} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <AuthProvider>
        <ApiProvider>{children}</ApiProvider>
      </AuthProvider>
    </MantineProvider>
  );
}
