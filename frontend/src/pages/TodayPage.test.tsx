import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { PAGE, TodayPage } from "./TodayPage";

const lead = { __typename: "Lead", id: "TGVhZDox", name: "Ana López", phone: "+525512345678", email: null };
const property = {
  __typename: "Property",
  id: "UHJvcGVydHk6MQ==",
  title: "Departamento en Polanco",
  address: "Av. Presidente Masaryk 123, Polanco",
  location: "Polanco",
  city: "Ciudad de México",
};
const conversation = {
  __typename: "Conversation",
  id: "Q29udmVyc2F0aW9uOjE=",
  qualificationScore: 85,
  qualification: [
    { __typename: "QualificationSignal", signal: "financing", points: 30 },
    { __typename: "QualificationSignal", signal: "viewing_confirmed", points: 30 },
    { __typename: "QualificationSignal", signal: "timeline", points: 25 },
  ],
  viewing: null as null | Record<string, unknown>,
};

function makeTask(kind: string, extra: Record<string, unknown> = {}) {
  return {
    __typename: "BrokerTask",
    id: `task-${kind}`,
    kind,
    title: `${kind} Ana López`,
    summary: "Quiere ver el departamento el sábado.",
    status: "OPEN",
    dueAt: null,
    createdAt: new Date().toISOString(),
    lead,
    property,
    conversation,
    ...extra,
  };
}

type Task = ReturnType<typeof makeTask>;

function fakeApi(all: Task[]) {
  const mutations: { query: string; variables: unknown }[] = [];
  const client = {
    executeQuery: vi.fn((request: { variables: { first?: number } }) => {
      const tasks = all.slice(0, request.variables.first ?? all.length);
      return fromValue({
        data: {
          brokerage: { __typename: "Brokerage", id: "b1", timezone: "America/Mexico_City" },
          brokerTasks: {
            __typename: "BrokerTaskConnection",
            totalCount: all.length,
            pageInfo: { __typename: "PageInfo", hasNextPage: tasks.length < all.length },
            edges: tasks.map((node) => ({ __typename: "BrokerTaskEdge", node })),
          },
        },
        stale: false,
        hasNext: false,
      });
    }),
    executeMutation: vi.fn((request: { query: Parameters<typeof print>[0]; variables: { id: string } }) => {
      mutations.push({ query: print(request.query), variables: request.variables });
      const task = { __typename: "BrokerTask", id: request.variables.id, status: "DONE", closedAt: null };
      const viewing = { __typename: "Viewing", id: request.variables.id, status: "CANCELLED" };
      return fromValue({
        data: { completeBrokerTask: task, answerBrokerTask: task, cancelViewing: viewing, rescheduleViewing: viewing },
        stale: false,
        hasNext: false,
      });
    }),
    executeSubscription: vi.fn(() => fromValue({ data: undefined, stale: false, hasNext: false })),
  } as unknown as Client;
  return { client, mutations };
}

describe("Today", () => {
  it("lists the broker's tasks, linked to the lead's conversation and the listing, and completes one", async () => {
    await i18n.changeLanguage("es");
    const { client, mutations } = fakeApi([makeTask("HANDOFF")]);
    renderWith(<TodayPage />, client);

    expect(await screen.findByText("HANDOFF Ana López")).toBeInTheDocument();
    expect(screen.getByText("Quiere ver el departamento el sábado.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Conversación con Ana López" })).toHaveAttribute(
      "href",
      `/conversations/${conversation.id}`,
    );
    expect(screen.getByRole("link", { name: "Departamento en Polanco" })).toHaveAttribute(
      "href",
      `/listings/${property.id}`,
    );
    await userEvent.click(screen.getByRole("button", { name: "Hecho: HANDOFF Ana López" }));

    await waitFor(() => expect(mutations).toHaveLength(1));
    expect(mutations[0].query).toContain("completeBrokerTask");
    expect(mutations[0].variables).toEqual({ id: "task-HANDOFF", done: true });
  });

  it("answers a QUESTION task right there: the answer is sent with the task's id", async () => {
    await i18n.changeLanguage("es");
    const { client, mutations } = fakeApi([makeTask("QUESTION")]);
    renderWith(<TodayPage />, client);

    const box = await screen.findByLabelText("Tu respuesta para Ana López");
    const send = screen.getByRole("button", { name: "Enviar respuesta" });
    expect(send).toBeDisabled(); // nothing to send yet
    await userEvent.type(box, "  Sí, tiene dos cajones de estacionamiento.  ");
    await userEvent.click(send);

    await waitFor(() => expect(mutations).toHaveLength(1));
    expect(mutations[0].query).toContain("answerBrokerTask");
    expect(mutations[0].variables).toEqual({
      id: "task-QUESTION",
      answer: "Sí, tiene dos cajones de estacionamiento.",
    });
  });

  it("shows a VIEWING task's viewing in the brokerage's zone with its address, and reschedules in local time", async () => {
    await i18n.changeLanguage("en");
    const viewing = {
      __typename: "Viewing",
      id: "viewing-1",
      status: "CONFIRMED",
      startsAt: "2026-12-12T17:00:00+00:00", // 11:00 in Mexico City
      endsAt: "2026-12-12T17:45:00+00:00",
    };
    const { client, mutations } = fakeApi([makeTask("VIEWING", { conversation: { ...conversation, viewing } })]);
    renderWith(<TodayPage />, client);

    const panel = await screen.findByRole("group", { name: "Viewing" });
    expect(within(panel).getByText("Confirmed")).toBeInTheDocument();
    expect(within(panel).getByTestId("viewing-time")).toHaveTextContent(/Saturday, December 12, 2026.*11:00\sAM/);
    expect(within(panel).getByText("Av. Presidente Masaryk 123, Polanco")).toBeInTheDocument();

    await userEvent.click(within(panel).getByRole("button", { name: "Reschedule" }));
    const input = within(panel).getByLabelText(/New time \(America\/Mexico_City\)/);
    expect(input).toHaveValue("2026-12-12T11:00");
    await userEvent.clear(input);
    await userEvent.type(input, "2026-12-14T16:30");
    await userEvent.click(within(panel).getByRole("button", { name: "Move viewing" }));
    await waitFor(() => expect(mutations).toHaveLength(1));
    expect(mutations[0].query).toContain("rescheduleViewing");
    expect(mutations[0].variables).toEqual({ id: "viewing-1", startsAt: "2026-12-14T16:30:00" });

    await userEvent.click(within(panel).getByRole("button", { name: "Cancel viewing" }));
    await userEvent.click(within(panel).getByRole("button", { name: "Yes, cancel" }));
    await waitFor(() => expect(mutations).toHaveLength(2));
    expect(mutations[1].query).toContain("cancelViewing");
    expect(mutations[1].variables).toEqual({ id: "viewing-1" });
  });

  it("shows why a QUALIFIED lead qualified, signal by signal", async () => {
    await i18n.changeLanguage("en");
    renderWith(<TodayPage />, fakeApi([makeTask("QUALIFIED")]).client);
    const breakdown = await screen.findByRole("group", { name: "Qualification" });
    expect(within(breakdown).getByText("Qualification 85/100")).toBeInTheDocument();
    expect(within(breakdown).getByText(/Financing ready or paying cash/)).toHaveTextContent("+30");
    expect(within(breakdown).getByText(/A date to decide by/)).toHaveTextContent("+25");
    expect(screen.queryByLabelText(/Your answer/)).not.toBeInTheDocument();
  });

  it("says what to expect when there is nothing to do, in the chosen language", async () => {
    await i18n.changeLanguage("en");
    renderWith(<TodayPage />, fakeApi([]).client);
    expect(await screen.findByText("Nothing to do")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Today" })).toBeInTheDocument();
  });

  it("pages: the first tasks, then the next ones with those already shown", async () => {
    await i18n.changeLanguage("es");
    const many = Array.from({ length: PAGE + 3 }, (_, n) => makeTask("CALL_HOT_LEAD", { id: `call-${n}`, title: `Llamar ${n}` }));
    const { client } = fakeApi(many);
    renderWith(<TodayPage />, client);
    expect(await screen.findByText(`${PAGE} de ${PAGE + 3}`)).toBeInTheDocument();
    expect(screen.queryByText(`Llamar ${PAGE}`)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Ver más" }));
    expect(await screen.findByText(`Llamar ${PAGE + 2}`)).toBeInTheDocument();
    expect(screen.getByText(`${PAGE + 3} de ${PAGE + 3}`)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Ver más" })).not.toBeInTheDocument();
  });
});
