import { AppShell, Burger, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { useBrokerageLanguage } from "../i18n";
import { useAuth } from "../lib/auth";
import { LanguageSwitch } from "./LanguageSwitch";

const ShellQuery = graphql(`
  query Shell {
    me {
      id
      name
    }
    brokerage {
      id
      name
      language
      paused
    }
  }
`);

const NAV = [
  { to: "/", key: "nav.home" },
  { to: "/today", key: "nav.today" },
  { to: "/listings", key: "nav.listings" },
  { to: "/import", key: "nav.import" },
  { to: "/settings", key: "nav.settings" },
] as const;

export function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { signOut } = useAuth();
  const location = useLocation();
  const [{ data }] = useQuery({ query: ShellQuery });
  useBrokerageLanguage(data?.brokerage.language);

  const active = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t("nav.menu")}
            />
            <Title order={1} size="h3" c="blue.8">
              BR SCALE
            </Title>
            {data && (
              <Text size="sm" c="dimmed" visibleFrom="xs" truncate>
                {data.brokerage.name}
              </Text>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitch />
            <Button variant="subtle" size="compact-sm" onClick={signOut} visibleFrom="xs">
              {t("nav.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t("nav.main")}>
        <nav>
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={t(item.key)}
              active={active(item.to)}
              aria-current={active(item.to) ? "page" : undefined}
              onClick={close}
            />
          ))}
          <NavLink component="button" label={t("nav.logout")} onClick={signOut} hiddenFrom="xs" />
        </nav>
        {data?.me && (
          <Text size="xs" c="dimmed" mt="auto" pt="md">
            {data.me.name}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        {data?.brokerage.paused && (
          <Text role="status" c="orange.9" fw={600} mb="sm">
            {t("settings.pausedBanner")}
          </Text>
        )}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
