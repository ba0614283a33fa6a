import { createContext, useContext } from "react";
import type { Role } from "../gql/graphql";

export interface Me {
  id: string;
  name: string;
  role: Role;
}

const MeContext = createContext<Me | null>(null);

/** The signed-in person, once the shell has read them (null before). */
export const MeProvider = MeContext.Provider;

export function useMe(): Me | null {
  return useContext(MeContext);
}

/** OWNER and ADMIN run the whole brokerage; an AGENT works the leads assigned to them. */
export function canManage(role: Role | null | undefined): boolean {
  return role === "OWNER" || role === "ADMIN";
}

/** Managers only: what an agent may not do is not offered to them (the API refuses it too). */
export function useCanManage(): boolean {
  return canManage(useMe()?.role);
}
