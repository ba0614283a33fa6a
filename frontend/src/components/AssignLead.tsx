import { Select, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql } from "../gql";
import { useCanManage } from "../lib/me";
import { useNotify } from "../lib/notify";

export const TeamUsers = graphql(`
  query TeamUsers {
    users {
      id
      name
      role
    }
  }
`);

const AssignLeadMutation = graphql(`
  mutation AssignLead($leadId: ID!, $userId: ID) {
    assignLead(leadId: $leadId, userId: $userId) {
      id
      assignee {
        id
        name
      }
    }
  }
`);

export const NONE = "none";

/** The agent working a lead: OWNER and ADMIN give it to someone (its open tasks follow), an
 * agent sees who has it. */
export function AssignLead({
  leadId,
  assignee,
  onChanged,
}: {
  leadId: string;
  assignee: { id: string; name: string } | null | undefined;
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const manager = useCanManage();
  const [{ data }] = useQuery({ query: TeamUsers, pause: !manager });
  const [state, assign] = useMutation(AssignLeadMutation);
  if (!manager || !data) {
    return (
      <Text size="sm">
        <b>{t("team.agent")}:</b> {assignee?.name ?? t("team.unassigned")}
      </Text>
    );
  }
  const options = [
    { value: NONE, label: t("team.unassigned") },
    ...data.users.map((u) => ({ value: u.id, label: `${u.name} · ${t(`role.${u.role}`)}` })),
  ];
  return (
    <Select
      label={t("team.agent")}
      size="sm"
      data={options}
      allowDeselect={false}
      disabled={state.fetching}
      value={assignee?.id ?? NONE}
      onChange={async (value) => {
        if (!value) return;
        const userId = value === NONE ? null : value;
        const name = data.users.find((u) => u.id === userId)?.name;
        const result = await assign({ leadId, userId });
        if (notify(result, name ? t("team.assigned", { name }) : t("team.unassignedDone"))) onChanged?.();
      }}
    />
  );
}
