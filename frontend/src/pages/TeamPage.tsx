import {
  Alert,
  Badge,
  Button,
  Group,
  Select,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { EmptyState, PageState } from "../components/PageState";
import { Section } from "../components/Section";
import { graphql } from "../gql";
import type { AuditAction, LeadRouting, Role, TeamQuery } from "../gql/graphql";
import { formatDateTime, formatRelative } from "../lib/format";
import { useNotify } from "../lib/notify";

const Team = graphql(`
  query Team {
    me {
      id
      role
    }
    brokerage {
      id
      leadRouting
      plan {
        label
        limits {
          users
        }
        usage {
          users
        }
      }
    }
    users {
      id
      name
      email
      role
      phone
    }
    invitations {
      id
      email
      role
      expiresAt
    }
    auditLog(first: 15) {
      edges {
        node {
          id
          at
          actorName
          action
          subjectType
          detail
        }
      }
    }
  }
`);

const InviteUser = graphql(`
  mutation InviteUser($input: InviteUserInput!) {
    inviteUser(input: $input) {
      id
      email
      role
      expiresAt
    }
  }
`);

const UpdateUserRole = graphql(`
  mutation UpdateUserRole($userId: ID!, $role: Role!) {
    updateUserRole(userId: $userId, role: $role) {
      id
      role
    }
  }
`);

const RemoveUser = graphql(`
  mutation RemoveUser($userId: ID!) {
    removeUser(userId: $userId) {
      removedId
      leadsRerouted
    }
  }
`);

const SetRouting = graphql(`
  mutation SetRouting($routing: LeadRouting!) {
    updateBrokerage(input: { leadRouting: $routing }) {
      id
      leadRouting
    }
  }
`);

const ROLES: Role[] = ["AGENT", "ADMIN", "OWNER"];
const ROUTINGS: LeadRouting[] = ["ROUND_ROBIN", "LISTING_AGENT", "MANUAL"];

type Data = TeamQuery;

/** An audit entry's detail in words: who or what it was about, and what changed. */
export function auditDetail(detail: unknown): string {
  if (!detail || typeof detail !== "object") return "";
  const d = detail as Record<string, unknown>;
  const parts = [d.name, d.email, d.role].filter((v): v is string => typeof v === "string" && v !== "");
  if (typeof d.before === "string" && typeof d.after === "string") parts.push(`${d.before} → ${d.after}`);
  return parts.join(" · ");
}

function Invite({ me, onInvited }: { me: Data["me"]; onInvited: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("AGENT");
  const [state, invite] = useMutation(InviteUser);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (notify(await invite({ input: { email, role } }), t("team.invited", { email }))) {
      setEmail("");
      onInvited();
    }
  }
  // Only an owner makes another owner (the API says so too).
  const roles = ROLES.filter((r) => r !== "OWNER" || me.role === "OWNER");
  return (
    <Section id="invite" title={t("team.inviteTitle")} hint={t("team.inviteHint")} onSubmit={submit}>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label={t("team.email")}
          type="email"
          required
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          miw={240}
        />
        <Select
          label={t("team.role")}
          data={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          allowDeselect={false}
          value={role}
          onChange={(v) => v && setRole(v as Role)}
          w={160}
        />
        <Button type="submit" loading={state.fetching} disabled={!email}>
          {t("team.invite")}
        </Button>
      </Group>
    </Section>
  );
}

function People({ data, onChanged }: { data: Data; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const [, setRole] = useMutation(UpdateUserRole);
  const [removeState, remove] = useMutation(RemoveUser);
  const [confirming, setConfirming] = useState<string | null>(null);
  const owner = data.me.role === "OWNER";
  const { limits, usage } = data.brokerage.plan;
  return (
    <Section
      id="people"
      title={t("team.peopleTitle")}
      hint={t("team.seats", { used: usage.users, limit: limits.users, plan: data.brokerage.plan.label })}
    >
      <Table.ScrollContainer minWidth={560}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("team.name")}</Table.Th>
              <Table.Th scope="col">{t("team.email")}</Table.Th>
              <Table.Th scope="col">{t("team.role")}</Table.Th>
              <Table.Th scope="col">
                <span className="visually-hidden">{t("settings.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.users.map((user) => {
              const self = user.id === data.me.id;
              return (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    {user.name}
                    {self && (
                      <Text span size="xs" c="dimmed">
                        {" "}
                        ({t("team.you")})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: "anywhere" }}>{user.email}</Table.Td>
                  <Table.Td>
                    {owner && !self ? (
                      <Select
                        aria-label={t("team.roleOf", { name: user.name })}
                        size="xs"
                        w={130}
                        data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                        allowDeselect={false}
                        value={user.role}
                        onChange={async (v) =>
                          v && notify(await setRole({ userId: user.id, role: v as Role }), t("team.roleChanged", { name: user.name })) && onChanged()
                        }
                      />
                    ) : (
                      <Badge variant="light">{t(`role.${user.role}`)}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!self &&
                      (confirming === user.id ? (
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="xs"
                            color="red"
                            loading={removeState.fetching}
                            onClick={async () => {
                              const result = await remove({ userId: user.id });
                              setConfirming(null);
                              const moved = result.data?.removeUser.leadsRerouted ?? 0;
                              if (notify(result, t("team.removed", { name: user.name, count: moved }))) onChanged();
                            }}
                          >
                            {t("team.confirmRemove")}
                          </Button>
                          <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                            {t("common.cancel")}
                          </Button>
                        </Group>
                      ) : (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={t("team.removeOf", { name: user.name })}
                          onClick={() => setConfirming(user.id)}
                        >
                          {t("team.remove")}
                        </Button>
                      ))}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {data.invitations.length > 0 && (
        <Stack gap={4} mt="md">
          <Title order={3} size="h6">
            {t("team.pending")}
          </Title>
          <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("team.pending")}>
            {data.invitations.map((inv) => (
              <Text key={inv.id} size="sm" component="li">
                {inv.email} · {t(`role.${inv.role}`)} ·{" "}
                <Text span size="xs" c="dimmed">
                  {t("team.expires", { when: formatDateTime(inv.expiresAt, i18n.language) })}
                </Text>
              </Text>
            ))}
          </Stack>
        </Stack>
      )}
    </Section>
  );
}

function Routing({ data }: { data: Data }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [state, setRouting] = useMutation(SetRouting);
  const owner = data.me.role === "OWNER";
  const value = data.brokerage.leadRouting;
  return (
    <Section id="routing" title={t("team.routingTitle")} hint={t(`team.routingHint.${value}`)}>
      <SegmentedControl
        aria-label={t("team.routingTitle")}
        disabled={!owner || state.fetching}
        value={value}
        onChange={async (v) => notify(await setRouting({ routing: v as LeadRouting }), t("settings.saved"))}
        data={ROUTINGS.map((r) => ({ value: r, label: t(`team.routing.${r}`) }))}
        fullWidth
        orientation="horizontal"
      />
      {!owner && (
        <Text size="xs" c="dimmed" mt="xs">
          {t("team.ownerOnly")}
        </Text>
      )}
    </Section>
  );
}

function Audit({ entries }: { entries: Data["auditLog"]["edges"] }) {
  const { t, i18n } = useTranslation();
  return (
    <Section id="audit" title={t("team.auditTitle")} hint={t("team.auditHint")}>
      {entries.length === 0 ? (
        <EmptyState title={t("team.auditEmptyTitle")} text={t("team.auditEmpty")} />
      ) : (
        <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: "none" }} aria-label={t("team.auditTitle")}>
          {entries.map(({ node }) => (
            <Text key={node.id} size="sm" component="li">
              <Text span fw={600}>
                {node.actorName}
              </Text>{" "}
              {t(`audit.${node.action as AuditAction}`)}
              {auditDetail(node.detail) && ` · ${auditDetail(node.detail)}`}{" "}
              <Text span size="xs" c="dimmed">
                {formatRelative(node.at, i18n.language)}
              </Text>
            </Text>
          ))}
        </Stack>
      )}
    </Section>
  );
}

/** The team (OWNER and ADMIN): people and roles, invitations, how new leads are assigned, who did what. */
export function TeamPage() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: Team });
  const refresh = () => refetch({ requestPolicy: "network-only" });
  return (
    <Stack gap="md" maw={900}>
      <Title order={1} size="h2">
        {t("team.title")}
      </Title>
      <PageState fetching={fetching} error={error} retry={refresh}>
        {data && (
          <>
            {data.users.length === 1 && data.invitations.length === 0 && (
              <Alert color="blue" variant="light">
                {t("team.alone")}
              </Alert>
            )}
            <Invite me={data.me} onInvited={refresh} />
            <People data={data} onChanged={refresh} />
            <Routing data={data} />
            <Audit entries={data.auditLog.edges} />
          </>
        )}
      </PageState>
    </Stack>
  );
}
