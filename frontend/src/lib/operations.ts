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

/** Many drafts at once (the board's "approve all"): each approved on its own; the refused are listed. */
export const ApproveDrafts = graphql(`
  mutation ApproveDrafts($ids: [ID!]!) {
    approveMessages(ids: $ids) {
      conversations {
        id
        status
      }
      refused {
        messageId
        code
        message
      }
    }
  }
`);
