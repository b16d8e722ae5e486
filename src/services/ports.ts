/**
 * What the services need from the outside world, each a small interface. The composition root binds them
 * to adapters (src/slack/: they render with the views and call the Web API); unit tests bind fakes. A
 * service hands a port facts and a reader, never Block Kit, and never imports Slack.
 */
import type { Namespace } from '../domain/access.js';
import type { BurnupInput, DigestData } from './digestData.js';
import type { StatusItem } from './status.js';

/** Who is reading, where, and when: a view shows dates in the reader's zone and hides what they may not see. */
export interface Viewer {
  slackUserId: string | null;
  timeZone: string;
  now: Date;
  /** 'channel': everyone in a channel sees it; 'private': only this reader (ephemeral, DM, App Home). */
  audience: 'channel' | 'private';
  /**
   * Items (by id) in GitLab groups or projects this reader's own GitLab account cannot read: their titles
   * are never shown to them. Absent: none known (a reader without a known account sees what the channel does).
   */
  unreadable?: ReadonlySet<number>;
}

/** A chat user as the workspace directory knows them. */
export interface DirectoryUser {
  id: string;
  name: string;
  realName: string;
  email: string | null;
  /** IANA zone (Slack's `tz`), never derived from an offset. */
  timeZone: string | null;
  isAdmin: boolean;
  deleted: boolean;
}

/** Who is who in the workspace (cached by the adapter); null: no such user. Errors other than that throw. */
export interface UserDirectory {
  user(userId: string): Promise<DirectoryUser | null>;
  /** What `user` last said, without asking: undefined when it was never asked (or long ago). */
  cachedUser(userId: string): DirectoryUser | null | undefined;
  userByEmail(email: string): Promise<DirectoryUser | null>;
  /** The one active, human user going by any of these names (handle, real or display name); else null. */
  findByName(names: string[]): Promise<DirectoryUser | null>;
}

/** A message that reached Slack: its conversation and timestamp. */
export interface Delivered {
  channel: string;
  ts: string;
}

/**
 * A send that failed. `reason` is what the platform said ('channel_not_found'), else the error's message;
 * `unreachable` says the recipient cannot be messaged at all (deactivated, gone, a bot); `refused` says
 * the platform answered and sent nothing (false: a timeout or a cut connection, the message may have landed).
 */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly unreachable = false,
    readonly refused = true,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}

/**
 * What a failed send says: a DeliveryError's reason, else the error's message (then not `unreachable`,
 * and not known to be `refused`: it may have landed).
 */
export function deliveryFailure(error: unknown): { reason: string; unreachable: boolean; refused: boolean } {
  if (error instanceof DeliveryError) return error;
  return { reason: (error as Error).message, unreachable: false, refused: false };
}

/** An overdue item of one owner's, with the group it is in. */
export interface NudgeItem {
  group: { slug: string; name: string };
  item: StatusItem;
  /** Who the escalation ladder has asked about it besides its owners (facilitators, sponsor), and when. */
  asked?: LadderAsked[];
}

/** An item reminded about too often without an answer, for its facilitators. */
export interface EscalatedItem {
  item: StatusItem;
  reminders: number;
}

/** An owner wgbot cannot reach in Slack, with their overdue items. */
export interface UnreachableOwner {
  name: string;
  items: StatusItem[];
}

/** Direct messages the nudge service sends; each is rendered by the adapter for `viewer`. */
export interface Messenger {
  /** An owner's overdue items; where the DM landed, so a click can redraw it. Throws DeliveryError. */
  sendNudge(to: string, items: NudgeItem[], viewer: Viewer): Promise<Delivered>;
  sendEscalation(to: string, groupName: string, items: EscalatedItem[], viewer: Viewer): Promise<void>;
  sendUnreachableOwners(
    to: string,
    groupName: string,
    owners: UnreachableOwner[],
    viewer: Viewer,
  ): Promise<void>;
}

/** What a digest says, for whom: the adapter renders it (post and thread reply). */
export interface DigestDraft {
  data: DigestData;
  viewer: Viewer;
  /** Carried by the post so a later run can find it in the channel. */
  marker: string;
  /** The DevOps metrics line, when the group follows any. */
  metrics: string | null;
  /** Set when a scheduled digest goes out well after its minute: when it was due, and why it is late. */
  late?: { dueAt: Date; reason: string } | null;
}

/**
 * How a digest reaches its channel. None of these is retried blindly (a post that timed out may have
 * landed); the adapter may wait out rate limits, which Slack did not process. Failures throw DeliveryError.
 */
export interface DigestPoster {
  /** The main post, tagged with the draft's marker and the period. */
  post(channel: string, digest: DigestDraft, period: string): Promise<Delivered>;
  /**
   * The thread reply under `message`, tagged with the draft's marker: its ts, or null when the draft has
   * nothing for a thread.
   */
  postThread(message: Delivered, digest: DigestDraft): Promise<string | null>;
  /** The burn-up chart as an image in the thread; the uploaded file's ID. `file.name` tells it apart. */
  uploadChart(message: Delivered, chart: BurnupInput, file: { name: string; title: string }): Promise<string>;
  /** The thread reply under `message` carrying `marker`, if Slack has one: its ts. */
  findReply(message: Delivered, marker: string): Promise<string | null>;
  /** The chart named `fileName` in the thread under `message`, if Slack has one: its file ID. */
  findChart(message: Delivered, fileName: string): Promise<string | null>;
  /** The ID of a channel by its name (without '#'); null when there is none by that name. */
  channelIdByName(name: string): Promise<string | null>;
  /** The post carrying `marker` in `channel` since `since`, if there is one. */
  findPosted(channel: string, marker: string, since: Date): Promise<Delivered | null>;
}

/** A GitLab account: all wgbot keeps of one. */
export interface GitlabAccount {
  id: number;
  username: string;
}

/**
 * What wgbot asks GitLab about people (the adapter is src/gitlab/access.ts, with wgbot's token). Errors
 * (GitLab down, refused) throw; "no such account" and "not a member" are answers.
 */
export interface GitlabPeople {
  /**
   * The one active account whose email is `email`: its primary email where the token may see it (an
   * administrator's), else its public email. Null when none or several match.
   */
  accountByEmail(email: string): Promise<GitlabAccount | null>;
  /** The account with this exact username, or null. */
  accountByUsername(username: string): Promise<GitlabAccount | null>;
  /** The account's access level in a group or project, inherited membership included; 0 when none. */
  accessLevel(namespace: Namespace, accountId: number): Promise<number>;
  /** Whether a group or project is public or internal: readable to every signed-in GitLab user. */
  openToSignedIn(namespace: Namespace): Promise<boolean>;
}

/**
 * GitLab's OAuth2 provider, for `/wg connect` (authorization code with PKCE). The user's token is used
 * once, to read who they are, and dropped.
 */
export interface GitlabSignIn {
  /** Where to send the user: GitLab's /oauth/authorize with this state and S256 challenge. */
  authorizeUrl(state: string, codeChallenge: string): string;
  /** Exchanges the code (with its PKCE verifier) at /oauth/token and reads /api/v4/user with the token. */
  accountFromCode(code: string, codeVerifier: string): Promise<GitlabAccount>;
}

/** Members of a Slack user group, by its handle (`wg-creators`) or ID (`S0…`); null: no such group. */
export interface UserGroups {
  members(handleOrId: string): Promise<string[] | null>;
}

/** Someone a step of the escalation ladder asked about an item, and when. */
export interface LadderAsked {
  step: 'owner' | 'facilitators' | 'sponsor';
  name: string;
  slackUserId: string;
  at: Date;
}

/** One item in a ladder message: why it climbed, who was asked before and when, what comes next. */
export interface LadderItem {
  item: StatusItem;
  reason: 'overdue' | 'nudges' | 'late' | 'blocked' | 'after-facilitators';
  /** The owner's words when they said they are blocked. */
  note: string | null;
  asked: LadderAsked[];
  /** The next step and its day, when there is one. */
  next: { step: 'owner' | 'facilitators' | 'sponsor'; on: string | null } | null;
}

/** A step of the escalation ladder, for one of the people it asks: a group's items that reached it. */
export interface LadderMessage {
  group: { slug: string; name: string };
  step: 'facilitators' | 'sponsor';
  items: LadderItem[];
}

/** How the escalation ladder reaches facilitators and sponsors. Throws DeliveryError. */
export interface LadderMessenger {
  sendLadderStep(to: string, message: LadderMessage, viewer: Viewer): Promise<Delivered>;
}
