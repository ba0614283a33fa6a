import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { print } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { fromValue } from "wonka";
import type { Client } from "urql";
import i18n from "../i18n";
import { renderWith } from "../test/render";
import { TodayPage } from "./TodayPage";

const task = {
  __typename: "BrokerTask",
  id: "QnJva2VyVGFzazox",
  kind: "HANDOFF",
  title: "Llama a Ana López",
  summary: "Quiere ver el departamento el sábado.",
  done: false,
  createdAt: new Date().toISOString(),
};

function fakeApi(tasks: (typeof task)[]) {
  const mutations: { query: string; variables: unknown }[] = [];
  const client = {
    executeQuery: vi.fn(() =>
      fromValue({
        data: { brokerTasks: { __typename: "BrokerTaskConnection", totalCount: tasks.length, edges: tasks.map((node) => ({ __typename: "BrokerTaskEdge", node })) } },
        stale: false,
        hasNext: false,
      }),
    ),
    executeMutation: vi.fn((request: { query: Parameters<typeof print>[0]; variables: unknown }) => {
      mutations.push({ query: print(request.query), variables: request.variables });
      return fromValue({ data: { completeBrokerTask: { __typename: "BrokerTask", id: task.id, done: true } }, stale: false, hasNext: false });
    }),
    executeSubscription: vi.fn(),
  } as unknown as Client;
  return { client, mutations };
}

describe("Today", () => {
  it("lists the broker's tasks and completes one with one click", async () => {
    await i18n.changeLanguage("es");
    const { client, mutations } = fakeApi([task]);
    renderWith(<TodayPage />, client);

    expect(await screen.findByText("Llama a Ana López")).toBeInTheDocument();
    expect(screen.getByText("Quiere ver el departamento el sábado.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Hecho: Llama a Ana López" }));

    await waitFor(() => expect(mutations).toHaveLength(1));
    expect(mutations[0].query).toContain("completeBrokerTask");
    expect(mutations[0].variables).toEqual({ id: task.id, done: true });
  });

  it("says what to expect when there is nothing to do, in the chosen language", async () => {
    await i18n.changeLanguage("en");
    renderWith(<TodayPage />, fakeApi([]).client);
    expect(await screen.findByText("Nothing to do")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Today" })).toBeInTheDocument();
  });
});
