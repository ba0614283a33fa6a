import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  MultiSelect,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { AvailabilityEditor, cleanWindows, invalidWindows } from "../components/AvailabilityEditor";
import { PageState } from "../components/PageState";
import { graphql } from "../gql";
import type { CrmProvider, SettingsQuery } from "../gql/graphql";
import { errorMessage } from "../lib/errors";
import { formatRelative } from "../lib/format";

const Settings = graphql(`
  query Settings {
    me {
      id
      morningDigest
    }
    brokerage {
      id
      name
      agentName
      formality
      availability {
        weekday
        startTime
        endTime
      }
      defaultRegion
      timezone
      language
      postalAddress
      signature
      requiresApproval
      paused
      captureUrl
      matchGate
      scoringWeights {
        location
        price
        bedrooms
        qualityFactor
      }
      tierThresholds {
        hot
        medium
        low
      }
    }
    apiKeys {
      id
      name
      scopes
      createdAt
      lastUsedAt
      revoked
    }
    crmConnections {
      id
      provider
      status
      lastSyncAt
      lastError
      leadsImported
      webhooksRegistered
      webhookError
      dealPipeline
      qualifiedDealStage
      viewingDealStage
      syncRuns(first: 3) {
        edges {
          node {
            kind
            startedAt
            finishedAt
            imported
            updated
            errors
            error
          }
        }
      }
    }
  }
`);

const UpdateBrokerage = graphql(`
  mutation UpdateBrokerage($input: UpdateBrokerageInput!) {
    updateBrokerage(input: $input) {
      id
      name
      agentName
      formality
      availability {
        weekday
        startTime
        endTime
      }
      defaultRegion
      timezone
      language
      postalAddress
      signature
      requiresApproval
      matchGate
      scoringWeights {
        location
        price
        bedrooms
        qualityFactor
      }
      tierThresholds {
        hot
        medium
        low
      }
    }
  }
`);

const PauseBrokerage = graphql(`
  mutation PauseBrokerage($paused: Boolean!) {
    pauseBrokerage(paused: $paused) {
      id
      paused
    }
  }
`);

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

const RotateCaptureKey = graphql(`
  mutation RotateCaptureKey {
    rotateCaptureKey {
      id
      captureUrl
    }
  }
`);

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

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revoked
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

const UpdateMe = graphql(`
  mutation UpdateMe($input: UpdateMeInput!) {
    updateMe(input: $input) {
      id
      morningDigest
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

type Brokerage = SettingsQuery["brokerage"];

function useNotify() {
  const { t } = useTranslation();
  return (result: { error?: Parameters<typeof errorMessage>[0] }, ok?: string) => {
    if (result.error) {
      notifications.show({ color: "red", message: errorMessage(result.error, t("common.networkError")) });
      return false;
    }
    if (ok) notifications.show({ color: "green", message: ok });
    return true;
  };
}

function BrokerageForm({ brokerage }: { brokerage: Brokerage }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [values, setValues] = useState(brokerage);
  const [state, update] = useMutation(UpdateBrokerage);
  useEffect(() => setValues(brokerage), [brokerage]);
  const set = <K extends keyof Brokerage>(key: K, value: Brokerage[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (invalidWindows(values.availability).size > 0) return;
    const { location, price, bedrooms, qualityFactor } = values.scoringWeights;
    const { hot, medium, low } = values.tierThresholds;
    notify(
      await update({
        input: {
          name: values.name,
          defaultRegion: values.defaultRegion,
          timezone: values.timezone,
          language: values.language,
          postalAddress: values.postalAddress,
          signature: values.signature,
          agentName: values.agentName.trim(),
          formality: values.formality,
          availability: cleanWindows(values.availability),
          requiresApproval: values.requiresApproval,
          matchGate: values.matchGate,
          scoringWeights: { location, price, bedrooms, qualityFactor },
          tierThresholds: { hot, medium, low },
        },
      }),
      t("settings.saved"),
    );
  }

  const weight = (key: keyof Brokerage["scoringWeights"] & string) => (
    <NumberInput
      label={t(`settings.weight.${key}`)}
      min={0}
      step={key === "qualityFactor" ? 0.1 : 1}
      decimalScale={2}
      value={values.scoringWeights[key] as number}
      onChange={(v) => set("scoringWeights", { ...values.scoringWeights, [key]: Number(v) || 0 })}
    />
  );
  const tier = (key: "hot" | "medium" | "low") => (
    <NumberInput
      label={t(`settings.tier.${key}`)}
      min={0}
      max={100}
      value={values.tierThresholds[key]}
      onChange={(v) => set("tierThresholds", { ...values.tierThresholds, [key]: Number(v) || 0 })}
    />
  );

  return (
    <Card withBorder radius="md" component="form" onSubmit={submit} aria-labelledby="brokerage-title">
      <Title order={2} size="h4" id="brokerage-title" mb="sm">
        {t("settings.brokerageTitle")}
      </Title>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t("settings.name")} required value={values.name} onChange={(e) => set("name", e.currentTarget.value)} />
          <Select
            label={t("settings.language")}
            description={t("settings.languageHint")}
            data={[
              { value: "es", label: "Español" },
              { value: "en", label: "English" },
            ]}
            allowDeselect={false}
            value={values.language}
            onChange={(v) => v && set("language", v)}
          />
          <TextInput
            label={t("settings.timezone")}
            description="America/Mexico_City"
            value={values.timezone}
            onChange={(e) => set("timezone", e.currentTarget.value)}
          />
          <TextInput
            label={t("settings.region")}
            description={t("settings.regionHint")}
            maxLength={2}
            value={values.defaultRegion}
            onChange={(e) => set("defaultRegion", e.currentTarget.value.toUpperCase())}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("settings.agentName")}
            description={t("settings.agentNameHint")}
            value={values.agentName}
            onChange={(e) => set("agentName", e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="formality-label">
              {t("settings.formality")}
            </Text>
            <SegmentedControl
              aria-labelledby="formality-label"
              value={values.formality}
              onChange={(v) => set("formality", v as Brokerage["formality"])}
              data={[
                { value: "TU", label: t("settings.formalityTu") },
                { value: "USTED", label: t("settings.formalityUsted") },
              ]}
            />
            <Text size="xs" c="dimmed">
              {t(`settings.formalityHint.${values.formality}`)}
            </Text>
          </Stack>
        </SimpleGrid>
        <AvailabilityEditor
          value={values.availability}
          onChange={(availability) => set("availability", availability)}
          timeZone={values.timezone}
        />
        <Textarea
          label={t("settings.postalAddress")}
          description={t("settings.postalAddressHint")}
          autosize
          minRows={2}
          value={values.postalAddress}
          onChange={(e) => set("postalAddress", e.currentTarget.value)}
        />
        <Textarea
          label={t("settings.signature")}
          autosize
          minRows={2}
          value={values.signature}
          onChange={(e) => set("signature", e.currentTarget.value)}
        />
        <Switch
          label={t("settings.requiresApproval")}
          description={t("settings.requiresApprovalHint")}
          checked={values.requiresApproval}
          onChange={(e) => set("requiresApproval", e.currentTarget.checked)}
        />
        <Title order={3} size="h6">
          {t("settings.scoringTitle")}
        </Title>
        <Select
          label={t("settings.matchGate")}
          description={t(`settings.matchGateHint.${values.matchGate}`)}
          data={(["PLACE_OR_BUDGET", "NONE"] as const).map((value) => ({ value, label: t(`settings.matchGateOption.${value}`) }))}
          allowDeselect={false}
          value={values.matchGate}
          onChange={(v) => v && set("matchGate", v as Brokerage["matchGate"])}
        />
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {weight("location")}
          {weight("price")}
          {weight("bedrooms")}
          {weight("qualityFactor")}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          {tier("hot")}
          {tier("medium")}
          {tier("low")}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={state.fetching}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function ApiKeys({ keys, onChanged }: { keys: SettingsQuery["apiKeys"]; onChanged: () => void }) {
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
    <Card withBorder radius="md" aria-labelledby="keys-title">
      <Title order={2} size="h4" id="keys-title" mb="sm">
        {t("settings.apiKeysTitle")}
      </Title>
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
    </Card>
  );
}

function CaptureCard({ url }: { url: string }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [state, rotate] = useMutation(RotateCaptureKey);
  return (
    <Card withBorder radius="md" aria-labelledby="capture-title">
      <Title order={2} size="h4" id="capture-title" mb={4}>
        {t("settings.captureTitle")}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t("settings.captureHint")}
      </Text>
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
    </Card>
  );
}

type Connection = SettingsQuery["crmConnections"][number];

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

function CrmConnections({ connections, onChanged }: { connections: SettingsQuery["crmConnections"]; onChanged: () => void }) {
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
    <Card withBorder radius="md" id="crm" aria-labelledby="crm-settings-title">
      <Title order={2} size="h4" id="crm-settings-title" mb="sm">
        {t("settings.crmTitle")}
      </Title>
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
                          ? t("settings.syncRunLine", { imported: run.imported, updated: run.updated, errors: run.errors })
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
    </Card>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [{ data, fetching, error }, refetch] = useQuery({ query: Settings });
  const [pauseState, pause] = useMutation(PauseBrokerage);
  const [meState, updateMe] = useMutation(UpdateMe);
  const refresh = () => refetch({ requestPolicy: "network-only" });
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} size="h2">
        {t("settings.title")}
      </Title>
      <PageState fetching={fetching} error={error} retry={refresh}>
        {data && (
          <>
            <Card withBorder radius="md">
              <Switch
                size="md"
                color="orange"
                label={t("settings.pauseAll")}
                description={t("settings.pauseAllHint")}
                checked={data.brokerage.paused}
                disabled={pauseState.fetching}
                onChange={async (e) => notify(await pause({ paused: e.currentTarget.checked }))}
              />
            </Card>
            <Card withBorder radius="md">
              <Switch
                label={t("settings.morningDigest")}
                description={t("settings.morningDigestHint")}
                checked={data.me.morningDigest}
                disabled={meState.fetching}
                onChange={async (e) =>
                  notify(await updateMe({ input: { morningDigest: e.currentTarget.checked } }), t("settings.saved"))
                }
              />
            </Card>
            <BrokerageForm brokerage={data.brokerage} />
            <CaptureCard url={data.brokerage.captureUrl} />
            <CrmConnections connections={data.crmConnections} onChanged={refresh} />
            <ApiKeys keys={data.apiKeys} onChanged={refresh} />
          </>
        )}
      </PageState>
    </Stack>
  );
}
