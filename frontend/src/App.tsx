import { Alert, Center, Loader } from "@mantine/core";
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { Shell } from "./components/Shell";
import { useTranslation } from "react-i18next";
import { useAuth } from "./lib/auth";
import { canManage, useMe } from "./lib/me";
import { AcceptInvitationPage } from "./pages/AcceptInvitationPage";
import { AuthPage } from "./pages/AuthPage";
import { ConfirmSignUpPage } from "./pages/ConfirmSignUpPage";

// Each screen is its own chunk: the sign-up page loads without the charts or the import wizard.
const HomePage = lazy(() => import("./pages/HomePage").then((m) => ({ default: m.HomePage })));
const TodayPage = lazy(() => import("./pages/TodayPage").then((m) => ({ default: m.TodayPage })));
const ListingsPage = lazy(() => import("./pages/ListingsPage").then((m) => ({ default: m.ListingsPage })));
const ListingFormPage = lazy(() =>
  import("./pages/ListingFormPage").then((m) => ({ default: m.ListingFormPage })),
);
const ListingPage = lazy(() => import("./pages/ListingPage").then((m) => ({ default: m.ListingPage })));
const ConversationPage = lazy(() =>
  import("./pages/ConversationPage").then((m) => ({ default: m.ConversationPage })),
);
const ImportPage = lazy(() => import("./pages/ImportPage").then((m) => ({ default: m.ImportPage })));
const TeamPage = lazy(() => import("./pages/TeamPage").then((m) => ({ default: m.TeamPage })));
const SettingsPage = lazy(() => import("./pages/SettingsPage").then((m) => ({ default: m.SettingsPage })));

function RequireAuth({ children }: { children: ReactNode }) {
  const { token } = useAuth();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

export function ScreenLoading() {
  return (
    <Center py="xl" role="status">
      <Loader />
    </Center>
  );
}

const screen = (element: ReactNode) => <Suspense fallback={<ScreenLoading />}>{element}</Suspense>;

/** Screens for OWNER and ADMIN: an agent who follows a link there is told whom to ask. */
export function ManagersOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me) return <ScreenLoading />;
  if (!canManage(me.role)) {
    return (
      <Alert color="blue" role="status">
        {t("common.managersOnly")}
      </Alert>
    );
  }
  return <>{children}</>;
}

const managers = (element: ReactNode) => screen(<ManagersOnly>{element}</ManagersOnly>);

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<AuthPage mode="login" />} />
      <Route path="/signup" element={<AuthPage mode="signup" />} />
      <Route path="/signup/:token" element={<ConfirmSignUpPage />} />
      <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
      <Route
        element={
          <RequireAuth>
            <Shell />
          </RequireAuth>
        }
      >
        <Route index element={screen(<HomePage />)} />
        <Route path="today" element={screen(<TodayPage />)} />
        <Route path="listings" element={screen(<ListingsPage />)} />
        <Route path="listings/new" element={managers(<ListingFormPage />)} />
        <Route path="listings/:id/edit" element={managers(<ListingFormPage />)} />
        <Route path="listings/:id" element={screen(<ListingPage />)} />
        <Route path="conversations/:id" element={screen(<ConversationPage />)} />
        <Route path="import" element={managers(<ImportPage />)} />
        <Route path="team" element={managers(<TeamPage />)} />
        <Route path="settings" element={screen(<SettingsPage />)} />
      </Route>
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}
