import { Badge, Button, Card, Group, PasswordInput, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import type { CrmProvider, ManagerSettingsQuery } from "../../gql/graphql";
import { formatRelative } from "../../lib/format";
import { useNotify } from "../../lib/notify";

const DealPipelines = graphql(`
  query DealPipelines($id: ID!) {
    node(id: $id) {
      ... on CrmConnection {
        id
        dealPipelines {
          id
          label
          stages {
            id
            label
          }
        }
      }
    }
  }
`);

const UpdateCrmConnection = graphql(`
  mutation UpdateCrmConnection($id: ID!, $input: UpdateCrmConnectionInput!) {
    updateCrmConnection(id: $id, input: $input) {
      id
      dealPipeline
      qualifiedDealStage
      viewingDealStage
    }
  }
`);

const ConnectFub = graphql(`
  mutation ConnectFub($input: ConnectFollowUpBossInput!) {
    connectFollowUpBoss(input: $input) {
      id
      provider
      status
      lastSyncAt
      lastError
      leadsImported
    }
  }
`);

const StartOAuth = graphql(`
  mutation StartOAuth($provider: CrmProvider!) {
    startCrmOAuth(provider: $provider) {
      authorizeUrl
    }
  }
`);

const SyncCrm = graphql(`
  mutation SyncCrm($id: ID!) {
    syncCrm(id: $id) {
      id
      status
      lastSyncAt
      lastError
      leadsImported
    }
  }
`);

const DisconnectCrm = graphql(`
  mutation DisconnectCrm($id: ID!) {
    disconnectCrm(id: $id) {
      id
      status
    }
  }
`);

type Connection = ManagerSettingsQuery["crmConnections"][number];

/** HubSpot: where qualified leads and confirmed viewings land as deals (pipelines read live). */
function DealStages({ connection }: { connection: Connection }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [{ data, fetching, error }] = useQuery({ query: DealPipelines, variables: { id: connection.id } });
  const [state, update] = useMutation(UpdateCrmConnection);
  const [choice, setChoice] = useState({
    dealPipeline: connection.dealPipeline,
    qualifiedDealStage: connection.qualifiedDealStage,
    viewingDealStage: connection.viewingDealStage,
  });
  const pipelines = data?.node.__typename === "CrmConnection" ? data.node.dealPipelines : [];
  const stages = pipelines.find((p) => p.id === choice.dealPipeline)?.stages ?? [];
  if (fetching) return <Text size="xs" c="dimmed">{t("common.loading")}</Text>;
  if (error || pipelines.length === 0) return null;
  const stageData = stages.map((s) => ({ value: s.id, label: s.label }));
  return (
    <Group align="flex-end" wrap="wrap" mt="xs">
      <Select
        label={t("settings.dealPipeline")}
        data={pipelines.map((p) => ({ value: p.id, label: p.label }))}
        value={choice.dealPipeline || null}
        onChange={(v) => v && setChoice({ dealPipeline: v, qualifiedDealStage: "", viewingDealStage: "" })}
      />
      <Select
        label={t("settings.qualifiedStage")}
        data={stageData}
        value={choice.qualifiedDealStage || null}
        onChange={(v) => v && setChoice((c) => ({ ...c, qualifiedDealStage: v }))}
      />
      <Select
        label={t("settings.viewingStage")}
        data={stageData}
        value={choice.viewingDealStage || null}
        onChange={(v) => v && setChoice((c) => ({ ...c, viewingDealStage: v }))}
      />
      <Button
        size="sm"
        variant="light"
        loading={state.fetching}
        disabled={!choice.dealPipeline || !choice.qualifiedDealStage || !choice.viewingDealStage}
        onClick={async () => notify(await update({ id: connection.id, input: choice }), t("settings.saved"))}
      >
        {t("common.save")}
      </Button>
    </Group>
  );
}

export function CrmConnections({ connections, onChanged }: { connections: ManagerSettingsQuery["crmConnections"]; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const [apiKey, setApiKey] = useState("");
  const [connectState, connect] = useMutation(ConnectFub);
  const [, startOAuth] = useMutation(StartOAuth);
  const [syncState, sync] = useMutation(SyncCrm);
  const [, disconnect] = useMutation(DisconnectCrm);

  async function oauth(provider: CrmProvider) {
    const result = await startOAuth({ provider });
    if (notify(result) && result.data) window.location.assign(result.data.startCrmOAuth.authorizeUrl);
  }

  const live = connections.filter((c) => c.status !== "DISCONNECTED");
  return (
    <Section id="crm" title={t("settings.crmTitle")} hint={t("settings.crmHint")}>
      <Stack>
        {live.map((c) => (
          <Card key={c.id} withBorder radius="sm" p="sm">
            <Group justify="space-between" wrap="wrap">
              <div>
                <Group gap="xs">
                  <Text fw={600}>{t(`crm.${c.provider}`)}</Text>
                  <Badge color={c.status === "ERROR" ? "red" : c.status === "SYNCING" ? "blue" : "green"} variant="light">
                    {t(`crmStatus.${c.status}`)}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {t("home.leadsImported", { count: c.leadsImported })} ·{" "}
                  {t("home.lastSync", { when: formatRelative(c.lastSyncAt, i18n.language) })}
                </Text>
                {c.lastError && (
                  <Text size="sm" c="red.8">
                    {c.lastError}
                  </Text>
                )}
                <Text size="sm" c={c.webhookError ? "orange.9" : "dimmed"}>
                  {c.webhooksRegistered ? t("settings.webhooksOn") : (c.webhookError ?? t("settings.webhooksOff"))}
                </Text>
                {c.provider === "HUBSPOT" && c.status !== "ERROR" && <DealStages connection={c} />}
                {c.syncRuns.edges.length > 0 && (
                  <Stack gap={0} mt={4} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("settings.syncRuns")}>
                    {c.syncRuns.edges.map(({ node: run }) => (
                      <Text key={run.startedAt} size="xs" c="dimmed" component="li">
                        {t(`syncKind.${run.kind}`)} · {formatRelative(run.startedAt, i18n.language)} ·{" "}
                        {run.finishedAt
                          ? t("settings.syncRunLine", { imported: run.imported, updated: run.updated, conflicts: run.conflicts, errors: run.errors })
                          : t("crmStatus.SYNCING")}
                        {run.error ? ` · ${run.error}` : ""}
                      </Text>
                    ))}
                  </Stack>
                )}
              </div>
              <Group gap="xs">
                <Button size="xs" variant="light" loading={syncState.fetching} onClick={async () => notify(await sync({ id: c.id }), t("settings.syncStarted")) && onChanged()}>
                  {t("settings.syncNow")}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={async () => notify(await disconnect({ id: c.id })) && onChanged()}>
                  {t("settings.disconnect")}
                </Button>
              </Group>
            </Group>
          </Card>
        ))}
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (notify(await connect({ input: { apiKey } }), t("settings.connected"))) {
              setApiKey("");
              onChanged();
            }
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <PasswordInput
              label={t("settings.fubKey")}
              description={t("settings.fubKeyHint")}
              value={apiKey}
              onChange={(e) => setApiKey(e.currentTarget.value)}
              miw={260}
            />
            <Button type="submit" loading={connectState.fetching} disabled={!apiKey}>
              {t("settings.connect")}
            </Button>
          </Group>
        </form>
        <Group gap="sm">
          <Button variant="default" onClick={() => oauth("HUBSPOT")}>
            {t("settings.oauth", { provider: t("crm.HUBSPOT") })}
          </Button>
          <Button variant="default" onClick={() => oauth("FOLLOWUPBOSS")}>
            {t("settings.oauth", { provider: t("crm.FOLLOWUPBOSS") })}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
