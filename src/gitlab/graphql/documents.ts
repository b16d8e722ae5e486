// The GraphQL documents wgbot sends to GitLab. Every one is validated in a test against GitLab's published
// schema (test/fixtures/gitlab-graphql/), so a field GitLab renames fails CI rather than a sync.

/** The most nodes one page asks for: GitLab's own cap is 100; 50 keeps a page's complexity well inside its limit. */
export const PAGE_SIZE = 50;

/** The fields of a work item wgbot reads, whatever its type (epic, objective, key result, issue, task). */
const WORK_ITEM_FIELDS = /* GraphQL */ `
  fragment WorkItemFields on WorkItem {
    id
    iid
    title
    state
    confidential
    webUrl
    reference(full: true)
    createdAt
    updatedAt
    closedAt
    workItemType {
      name
    }
    widgets {
      ... on WorkItemWidgetAssignees {
        assignees(first: 20) {
          nodes {
            id
            username
            name
          }
        }
      }
      ... on WorkItemWidgetStartAndDueDate {
        startDate
        dueDate
      }
      ... on WorkItemWidgetLabels {
        labels(first: 50) {
          nodes {
            title
          }
        }
      }
      ... on WorkItemWidgetMilestone {
        milestone {
          id
          iid
          title
          state
          startDate
          dueDate
          webPath
        }
      }
      ... on WorkItemWidgetDescription {
        taskCompletionStatus {
          count
          completedCount
        }
      }
      ... on WorkItemWidgetIteration {
        iteration {
          id
          iid
          sequence
          title
          state
          startDate
          dueDate
          webUrl
        }
      }
      ... on WorkItemWidgetWeight {
        weight
      }
      ... on WorkItemWidgetHealthStatus {
        healthStatus
      }
      ... on WorkItemWidgetProgress {
        progress
      }
    }
  }
`;

/** Once per process: which GitLab this is, and whether its namespaces offer work items. */
export const PROBE_QUERY = /* GraphQL */ `
  query WgbotProbe {
    metadata {
      version
    }
    namespaceType: __type(name: "Namespace") {
      # GitLab marks namespaces' work items as an experiment (deprecated): listed only when asked for.
      fields(includeDeprecated: true) {
        name
      }
    }
  }
`;

/** A work item, its description, and one page of its direct children (any type). */
export const TREE_QUERY = /* GraphQL */ `
  query WgbotWorkItemTree($fullPath: ID!, $iid: String!, $first: Int!, $after: String) {
    namespace(fullPath: $fullPath) {
      workItem(iid: $iid) {
        ...WorkItemFields
        description
        widgets {
          ... on WorkItemWidgetHierarchy {
            children(first: $first, after: $after) {
              pageInfo {
                hasNextPage
                endCursor
              }
              nodes {
                ...WorkItemFields
              }
            }
          }
        }
      }
    }
  }
  ${WORK_ITEM_FIELDS}
`;

/**
 * An incremental fetch in one request: the work item, how many direct children its hierarchy widget holds
 * now (the same connection a full fetch pages, so the count covers every child, of any type, anywhere),
 * and its children updated since the cursor (child epics included, so one closing is seen).
 */
export const CHANGES_QUERY = /* GraphQL */ `
  query WgbotWorkItemChanges(
    $fullPath: ID!
    $iid: String!
    $parentIds: [WorkItemID!]
    $since: Time!
    $first: Int!
  ) {
    namespace(fullPath: $fullPath) {
      workItem(iid: $iid) {
        ...WorkItemFields
        description
        widgets {
          ... on WorkItemWidgetHierarchy {
            children(first: 1) {
              count
            }
          }
        }
      }
      changed: workItems(
        parentIds: $parentIds
        updatedAfter: $since
        includeDescendants: true
        sort: CREATED_ASC
        first: $first
      ) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...WorkItemFields
        }
      }
    }
  }
  ${WORK_ITEM_FIELDS}
`;

/** Further pages of the listing of changed children CHANGES_QUERY began. */
export const CHILDREN_PAGE_QUERY = /* GraphQL */ `
  query WgbotWorkItemChildren(
    $fullPath: ID!
    $parentIds: [WorkItemID!]
    $since: Time
    $types: [IssueType!]
    $first: Int!
    $after: String
  ) {
    namespace(fullPath: $fullPath) {
      workItems(
        parentIds: $parentIds
        updatedAfter: $since
        types: $types
        includeDescendants: true
        sort: CREATED_ASC
        first: $first
        after: $after
      ) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...WorkItemFields
        }
      }
    }
  }
  ${WORK_ITEM_FIELDS}
`;

/** Every document, by name, for the schema test. */
export const ALL_DOCUMENTS: Record<string, string> = {
  PROBE_QUERY,
  TREE_QUERY,
  CHANGES_QUERY,
  CHILDREN_PAGE_QUERY,
};

/** Work item types whose children make them containers: stored as child epics, not items. */
export const EPIC_LIKE_TYPES = ['EPIC', 'OBJECTIVE'] as const;
