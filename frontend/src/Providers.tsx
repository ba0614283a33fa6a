import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { useEffect, useMemo, type ReactNode } from "react";
import { Provider as UrqlProvider } from "urql";
import { AuthProvider, useAuth } from "./lib/auth";
import { createApiClient } from "./lib/client";
import { cssVariablesResolver, theme } from "./theme";

function ApiProvider({ children }: { children: ReactNode }) {
  const { token, signOut } = useAuth();
  // A new client per token: nothing cached for one broker is ever shown to the next.
  const api = useMemo(() => createApiClient(token, signOut), [token, signOut]);
  useEffect(() => () => void api.ws.dispose(), [api]);
  return <UrqlProvider value={api.client}>{children}</UrqlProvider>;
}

export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <AuthProvider>
        <ApiProvider>{children}</ApiProvider>
      </AuthProvider>
    </MantineProvider>
  );
}
