"""The schema: one Query, Mutation and Subscription composed from the domains' parts."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig

from graphql_schema.accounts.schema import AccountsMutation, AccountsQuery
from graphql_schema.activity import ActivityQuery, ActivitySubscription
from graphql_schema.conversations.schema import ConversationsMutation, ConversationsQuery
from graphql_schema.cost import QueryCost
from graphql_schema.crm.schema import CrmMutation, CrmQuery
from graphql_schema.dashboard import DashboardQuery
from graphql_schema.documents import DocumentValidation
from graphql_schema.errors import (
    LiveSchema,
    RateLimit,
    SessionLifecycle,
    masked_errors,
)
from graphql_schema.execution import PlainObjects
from graphql_schema.leads.imports import ImportMutation, ImportQuery, ImportSubscription
from graphql_schema.leads.schema import LeadsMutation, LeadsQuery
from graphql_schema.limits import InputLimits
from graphql_schema.properties.schema import (
    PropertiesMutation,
    PropertiesQuery,
    PropertiesSubscription,
)
from graphql_schema.teams import TeamMutation, TeamQuery
from graphql_schema.viewings import ViewingsMutation, ViewingsQuery
from graphql_schema.webhooks import WebhooksMutation, WebhooksQuery


@strawberry.type
class Query(
    AccountsQuery,
    ActivityQuery,
    LeadsQuery,
    ImportQuery,
    PropertiesQuery,
    ConversationsQuery,
    CrmQuery,
    DashboardQuery,
    ViewingsQuery,
    WebhooksQuery,
    TeamQuery,
):
    node: relay.Node = relay.node(
        description="Any object by its global id, in your brokerage only."
    )


@strawberry.type
class Mutation(
    AccountsMutation,
    LeadsMutation,
    ImportMutation,
    PropertiesMutation,
    ConversationsMutation,
    CrmMutation,
    ViewingsMutation,
    WebhooksMutation,
    TeamMutation,
):
    pass


@strawberry.type
class Subscription(ActivitySubscription, ImportSubscription, PropertiesSubscription):
    pass


# The depth and alias limits are validation rules. Their extensions build a new rule class per
# instance, and an extension is instantiated per request, so the validation cache (keyed by the
# rule classes) never hit and every request paid for parsing-and-validating anew: build the
# rules once and add the same classes to every request.
_LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=12).validation_rules,
    *MaxAliasesLimiter(max_alias_count=30).validation_rules,
]


def limit_rules() -> AddValidationRules:
    return AddValidationRules(_LIMIT_RULES)


schema = LiveSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(relay_max_results=100),
    execution_context_class=PlainObjects,
    extensions=[
        SessionLifecycle,
        RateLimit,
        limit_rules,
        lambda: MaxTokensLimiter(max_token_count=4000),
        lambda: ParserCache(maxsize=512),
        DocumentValidation,
        QueryCost,
        InputLimits,
        masked_errors,
    ],
)
