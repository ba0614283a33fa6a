import { graphql } from "../gql";

/** Mutations more than one screen runs. */
export const ApproveDraft = graphql(`
  mutation ApproveDraft($id: ID!, $body: String) {
    approveMessage(id: $id, body: $body) {
      id
      status
    }
  }
`);
