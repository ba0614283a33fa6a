import { Card, Stack, Switch, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { PageState } from "../components/PageState";
import { graphql } from "../gql";
import { canManage } from "../lib/me";
import { useNotify } from "../lib/notify";
import { ApiKeys } from "./settings/ApiKeys";
import { BrokerageForm } from "./settings/BrokerageForm";
import { CaptureCard } from "./settings/CaptureCard";
import { CrmConnections } from "./settings/CrmConnections";
import { Profile } from "./settings/Profile";
import { Webhooks } from "./settings/Webhooks";

const Settings = graphql(`
  query Settings {
    me {
      id
      name
      role
      phone
      signature
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
  }
`);

/** What only OWNER and ADMIN read (an agent's token has no `crm:manage`). */
const ManagerSettings = graphql(`
  query ManagerSettings {
    apiKeys {
      id
      name
      scopes
      createdAt
      lastUsedAt
      revoked
    }
    webhookSubscriptions {
      id
      url
      events
      active
      disabledReason
      deliveries(first: 1) {
        edges {
          node {
            id
            status
            createdAt
            lastError
          }
        }
      }
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
            conflicts
            errors
            error
          }
        }
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

function ManagerSections({ captureUrl }: { captureUrl: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ManagerSettings });
  const refresh = () => refetch({ requestPolicy: "network-only" });
  return (
    <PageState fetching={fetching} error={error} retry={refresh}>
      {data && (
        <>
          <CrmConnections connections={data.crmConnections} onChanged={refresh} />
          <CaptureCard url={captureUrl} />
          <Webhooks hooks={data.webhookSubscriptions} onChanged={refresh} />
          <ApiKeys keys={data.apiKeys} onChanged={refresh} />
        </>
      )}
    </PageState>
  );
}

/** Everyone's own settings; the brokerage's (the owner changes them); CRM, capture, webhooks
 * and API keys for OWNER and ADMIN. */
export function SettingsPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [{ data, fetching, error }, refetch] = useQuery({ query: Settings });
  const [pauseState, pause] = useMutation(PauseBrokerage);
  const refresh = () => refetch({ requestPolicy: "network-only" });
  const manager = canManage(data?.me.role);
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} size="h2">
        {t("settings.title")}
      </Title>
      <PageState fetching={fetching} error={error} retry={refresh}>
        {data && (
          <>
            {manager && (
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
            )}
            <Profile me={data.me} />
            <BrokerageForm brokerage={data.brokerage} editable={data.me.role === "OWNER"} />
            {manager && <ManagerSections captureUrl={data.brokerage.captureUrl} />}
          </>
        )}
      </PageState>
    </Stack>
  );
}
