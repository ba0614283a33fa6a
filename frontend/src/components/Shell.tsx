import { AppShell, Burger, Button, Group, NavLink, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation } from "react-router-dom";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { useBrokerageLanguage } from "../i18n";
import { useAuth } from "../lib/auth";
import { canManage, MeProvider } from "../lib/me";
import { LanguageSwitch } from "./LanguageSwitch";

const ShellQuery = graphql(`
  query Shell {
    me {
      id
      name
      role
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
  { to: "/", key: "nav.home", managers: false },
  { to: "/today", key: "nav.today", managers: false },
  { to: "/listings", key: "nav.listings", managers: false },
  { to: "/import", key: "nav.import", managers: true },
  { to: "/team", key: "nav.team", managers: true },
  { to: "/settings", key: "nav.settings", managers: false },
] as const;

export function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const { signOut } = useAuth();
  const location = useLocation();
  const [{ data }] = useQuery({ query: ShellQuery });
  useBrokerageLanguage(data?.brokerage.language);

  const me = data?.me ?? null;
  const nav = NAV.filter((item) => !item.managers || canManage(me?.role));
  const active = (to: string) =>
    to === "/" ? location.pathname === "/" : location.pathname.startsWith(to);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 230, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        {/* The keyboard's first stop: past the header and the six links of the menu, every page. */}
        <a
          href="#main-content"
          className="skip-link"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById("main-content")?.focus();
          }}
        >
          {t("nav.skip")}
        </a>
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
          {nav.map((item) => (
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
        {me && (
          <Text size="xs" c="dimmed" mt="auto" pt="md">
            {me.name} · {t(`role.${me.role}`)}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1} style={{ outline: "none" }}>
        {data?.brokerage.paused && (
          <Text role="status" c="orange.9" fw={600} mb="sm">
            {t("settings.pausedBanner")}
          </Text>
        )}
        <MeProvider value={me}>
          <Outlet />
        </MeProvider>
      </AppShell.Main>
    </AppShell>
  );
}
