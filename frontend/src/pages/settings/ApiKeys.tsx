import { Alert, Badge, Button, Code, Group, MultiSelect, Stack, Table, Text, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import type { ManagerSettingsQuery } from "../../gql/graphql";
import { formatRelative } from "../../lib/format";
import { useNotify } from "../../lib/notify";

const CreateApiKey = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        name
      }
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revoked
    }
  }
`);

const SCOPES = [
  "leads:read",
  "leads:write",
  "properties:read",
  "properties:write",
  "conversations:read",
  "conversations:write",
  "crm:manage",
];

export function ApiKeys({ keys, onChanged }: { keys: ManagerSettingsQuery["apiKeys"]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["leads:write"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [createState, create] = useMutation(CreateApiKey);
  const [, revoke] = useMutation(RevokeApiKey);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { name, scopes } });
    if (notify(result) && result.data) {
      setSecret(result.data.createApiKey.secret);
      setName("");
      onChanged();
    }
  }

  return (
    <Section id="keys" title={t("settings.apiKeysTitle")}>
      <Stack>
        {secret && (
          <Alert color="yellow" title={t("settings.secretOnce")} role="status">
            <Code block>{secret}</Code>
          </Alert>
        )}
        <form onSubmit={submit}>
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t("settings.keyName")} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <MultiSelect label={t("settings.scopes")} data={SCOPES} value={scopes} onChange={setScopes} miw={240} />
            <Button type="submit" loading={createState.fetching} disabled={!name || scopes.length === 0}>
              {t("settings.createKey")}
            </Button>
          </Group>
        </form>
        {keys.length > 0 && (
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("settings.keyName")}</Table.Th>
                  <Table.Th scope="col">{t("settings.scopes")}</Table.Th>
                  <Table.Th scope="col">{t("settings.lastUsed")}</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden">{t("settings.actions")}</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td>{key.name}</Table.Td>
                    <Table.Td>
                      <Text size="xs">{key.scopes.join(", ")}</Text>
                    </Table.Td>
                    <Table.Td>{formatRelative(key.lastUsedAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      {key.revoked ? (
                        <Badge color="gray">{t("settings.revoked")}</Badge>
                      ) : (
                        <Button
                          size="xs"
                          color="red"
                          variant="subtle"
                          aria-label={`${t("settings.revoke")}: ${key.name}`}
                          onClick={async () => notify(await revoke({ id: key.id })) && onChanged()}
                        >
                          {t("settings.revoke")}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Section>
  );
}
