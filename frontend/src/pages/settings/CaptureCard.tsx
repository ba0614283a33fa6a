import { Button, Code, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import { useNotify } from "../../lib/notify";

const RotateCaptureKey = graphql(`
  mutation RotateCaptureKey {
    rotateCaptureKey {
      id
      captureUrl
    }
  }
`);

export function CaptureCard({ url }: { url: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [state, rotate] = useMutation(RotateCaptureKey);
  return (
    <Section id="capture" title={t("settings.captureTitle")} hint={t("settings.captureHint")}>
      <Group gap="sm" wrap="wrap">
        <Code style={{ wordBreak: "break-all" }}>{url}</Code>
        <Button
          size="xs"
          variant="light"
          color="orange"
          loading={state.fetching}
          onClick={async () => notify(await rotate({}), t("settings.captureRotated"))}
        >
          {t("settings.captureRotate")}
        </Button>
      </Group>
    </Section>
  );
}
