import { MantineProvider } from "@mantine/core";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";
import { Provider, type Client } from "urql";
import "../i18n";
import { theme } from "../theme";

/** A screen with the app's providers around it and `client` standing in for the API. */
export function renderWith(ui: ReactElement, client: Client, path = "/") {
  return render(
    <MantineProvider theme={theme}>
      <Provider value={client}>
        <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{ui}</MemoryRouter>
      </Provider>
    </MantineProvider>,
  );
}
