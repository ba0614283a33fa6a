import { Alert, Badge, Button, Code, Group, MultiSelect, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import type { ManagerSettingsQuery, WebhookEventType } from "../../gql/graphql";
import { formatRelative } from "../../lib/format";
import { useNotify } from "../../lib/notify";

const CreateWebhook = graphql(`
  mutation CreateWebhook($input: CreateWebhookSubscriptionInput!) {
    createWebhookSubscription(input: $input) {
      secret
      webhookSubscription {
        id
        url
      }
    }
  }
`);

const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhookSubscription(id: $id)
  }
`);

export const WEBHOOK_EVENTS: WebhookEventType[] = [
  "LEAD_QUALIFIED",
  "HANDOFF_CREATED",
  "VIEWING_CONFIRMED",
  "LEAD_OPTED_OUT",
  "MESSAGE_SENT",
  "LEAD_REPLIED",
];

type Hook = ManagerSettingsQuery["webhookSubscriptions"][number];

/** Partners' webhooks: a URL gets signed POSTs of the events it names (the secret shown once). */
export function Webhooks({ hooks, onChanged }: { hooks: Hook[]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>(["LEAD_QUALIFIED", "HANDOFF_CREATED"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [createState, create] = useMutation(CreateWebhook);
  const [, remove] = useMutation(DeleteWebhook);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { url: url.trim(), events: events as WebhookEventType[] } });
    if (notify(result) && result.data) {
      setSecret(result.data.createWebhookSubscription.secret);
      setUrl("");
      onChanged();
    }
  }

  return (
    <Section id="webhooks" title={t("settings.webhooksTitle")} hint={t("settings.webhooksHint")}>
      <Stack>
        {secret && (
          <Alert color="yellow" title={t("settings.webhookSecretOnce")} role="status">
            <Code block>{secret}</Code>
          </Alert>
        )}
        <form onSubmit={submit}>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t("settings.webhookUrl")}
              type="url"
              required
              placeholder="https://"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              miw={260}
            />
            <MultiSelect
              label={t("settings.webhookEvents")}
              data={WEBHOOK_EVENTS.map((value) => ({ value, label: t(`webhookEvent.${value}`) }))}
              value={events}
              onChange={setEvents}
              miw={260}
            />
            <Button type="submit" loading={createState.fetching} disabled={!url.trim() || events.length === 0}>
              {t("settings.webhookAdd")}
            </Button>
          </Group>
        </form>
        {hooks.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("settings.webhookUrl")}</Table.Th>
                  <Table.Th scope="col">{t("settings.webhookEvents")}</Table.Th>
                  <Table.Th scope="col">{t("settings.webhookState")}</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t("settings.actions")}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {hooks.map((hook) => {
                  const last = hook.deliveries.edges[0]?.node;
                  return (
                    <Table.Tr key={hook.id}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>{hook.url}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{hook.events.map((e) => t(`webhookEvent.${e}`)).join(", ")}</Text>
                      </Table.Td>
                      <Table.Td>
                        {hook.active ? (
                          <Badge color="green" variant="light">
                            {t("settings.webhookActive")}
                          </Badge>
                        ) : (
                          <Badge color="red" variant="light" title={hook.disabledReason ?? undefined}>
                            {t("settings.webhookDisabled")}
                          </Badge>
                        )}
                        {!hook.active && hook.disabledReason && (
                          <Text size="xs" c="red.8">
                            {hook.disabledReason}
                          </Text>
                        )}
                        {last && (
                          <Text size="xs" c="dimmed">
                            {t(`deliveryStatus.${last.status}`)} · {formatRelative(last.createdAt, i18n.language)}
                            {last.lastError ? ` · ${last.lastError}` : ""}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          color="red"
                          variant="subtle"
                          aria-label={`${t("settings.webhookDelete")}: ${hook.url}`}
                          onClick={async () => notify(await remove({ id: hook.id })) && onChanged()}
                        >
                          {t("settings.webhookDelete")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Section>
  );
}
