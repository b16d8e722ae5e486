import type { DodRules } from '../domain/dod.js';
import type { WorkingGroup } from '../domain/types.js';
import type { DigestSchedules } from '../jobs/digestSchedules.js';
import { type CriterionEdit, editCriterion, type EditOutcome } from '../services/criteriaHistory.js';
import type { DigestService } from '../services/digestService.js';
import type { DriftActionService } from '../services/driftActions.js';
import type { GroupService, NewGroup } from '../services/groups.js';
import type { ItemActionService } from '../services/itemActions.js';
import type { LadderService } from '../services/ladderService.js';
import type { LadderSettings } from '../domain/ladder.js';
import { LifecycleService } from '../services/lifecycle.js';
import type { LinkService } from '../services/linkService.js';
import type { NudgeService } from '../services/nudgeService.js';
import type { SyncOutcome } from '../services/syncService.js';
import type { TeamHealth } from '../services/teamHealth.js';
import type { Store } from '../store/store.js';
import type { WritebackOutcome, WritebackService } from '../services/writeback.js';
import type {
  Authorized,
  Configure,
  CreatorContext,
  DriftFixContext,
  GroupContext,
  ItemContext,
  ItemWriteContext,
  Sourced,
} from './gate.js';

export interface WritesDeps {
  store: Store;
  now: () => Date;
  groups: Pick<GroupService, 'addRole' | 'removeRole' | 'setSchedule' | 'bind' | 'create' | 'resolve'>;
  links: Pick<LinkService, 'link' | 'linkAndSync' | 'unlink'>;
  items: Pick<ItemActionService, 'markDone' | 'snooze' | 'setDueDate'>;
  driftActions: Pick<DriftActionService, 'createStory' | 'tickLine'>;
  digests: Pick<DigestService, 'post' | 'manualPeriod'>;
  nudges: Pick<NudgeService, 'run'>;
  schedules: Pick<DigestSchedules, 'reload' | 'timeZoneOf'>;
  requestSync: (wgId: number) => void;
  ladder: Pick<LadderService, 'setSettings' | 'hold' | 'blocked'>;
  /** The handbook page kept true: a merge request on HANDBOOK_PROJECT. */
  writeback: Pick<WritebackService, 'run'>;
  teamHealth: TeamHealth;
}

/** A product owner's or facilitator's proof: who leads the group's self-assessments. */
type AssessmentLead = Authorized<GroupContext & { lead: true }>;

type Configurer = Authorized<GroupContext, Configure>;
/** A facilitator's proof with the source their GitLab account may link. */
type SourceLinker = Authorized<GroupContext & Sourced, Configure>;

/**
 * Every change Slack can make, each taking the gate's proof that the caller may make it: a handler that
 * skipped the check has no value to pass. Listeners and subcommands get these, not the services' writes.
 */
export class GuardedWrites {
  readonly #lifecycle: LifecycleService;

  constructor(private readonly s: WritesDeps) {
    this.#lifecycle = new LifecycleService(s.store, s.now);
  }

  /** A criterion's hand-set figure or owner, recorded in its history as the caller's change. */
  editCriterion(ctx: Configurer, path: string, edit: CriterionEdit): EditOutcome {
    return editCriterion(this.s.store, ctx.group, path, edit, `slack:${ctx.userId}`, this.s.now());
  }

  addRole(ctx: Configurer, personId: number, role: string) {
    return this.s.groups.addRole(ctx.group, personId, role);
  }

  /** Opens or updates the merge request setting the group's page markers to wgbot's figures. */
  writeback(ctx: Configurer): Promise<WritebackOutcome> {
    return this.s.writeback.run(ctx.group, { dryRun: false });
  }

  removeRole(ctx: Configurer, personId: number, role: string | null): number {
    return this.s.groups.removeRole(ctx.group, personId, role);
  }

  /** A new digest schedule (`off`: none), reloaded into the scheduler at once. */
  setSchedule(ctx: Configurer, cron: string, timeZone: string | null): WorkingGroup {
    const group = this.s.groups.setSchedule(ctx.group, cron, timeZone);
    this.s.schedules.reload(group);
    return group;
  }

  /**
   * Makes the caller's channel the group's home. A channel is home to one group: taking it from the group
   * that lives there needs that group's facilitators too, so `home` must be the proof for that group.
   */
  bind(
    ctx: Configurer,
    channelId: string,
    channelName: string | null,
    home: Configurer | null,
  ): WorkingGroup {
    const current = this.s.groups.resolve(null, channelId, null);
    if (current.kind === 'found' && current.group.id !== ctx.group.id && home?.group.id !== current.group.id)
      throw new Error(`binding ${channelId} needs the consent of ${current.group.slug}'s facilitators`);
    return this.s.groups.bind(ctx.group, channelId, channelName);
  }

  /** Links the source the gate checked (`ctx.source`): no other URL can be linked with this proof. */
  link(ctx: SourceLinker, criterion: string | null) {
    const result = this.s.links.link(ctx.group.slug, ctx.source.url, criterion);
    this.s.requestSync(ctx.group.id);
    return result;
  }

  linkAndSync(
    ctx: SourceLinker,
    criterion: string | null,
    syncNow: (group: WorkingGroup) => Promise<SyncOutcome>,
  ) {
    return this.s.links.linkAndSync(ctx.group.slug, ctx.source.url, criterion, syncNow);
  }

  unlink(ctx: Configurer, url: string) {
    return this.s.links.unlink(ctx.group.slug, url, `slack:${ctx.userId}`);
  }

  archive(ctx: Configurer) {
    return this.#reloaded(this.#lifecycle.archive(ctx.group));
  }

  unarchive(ctx: Configurer) {
    return this.#reloaded(this.#lifecycle.unarchive(ctx.group));
  }

  #reloaded<T extends { changed: boolean; group: WorkingGroup }>(outcome: T): T {
    if (outcome.changed) this.s.schedules.reload(outcome.group);
    return outcome;
  }

  /** Posts the digest for this week now (`/wg digest now`). */
  postDigest(ctx: Configurer) {
    const group = ctx.group;
    return this.s.digests.post(
      { ...group, digestTimezone: this.s.schedules.timeZoneOf(group) },
      this.s.digests.manualPeriod(group),
    );
  }

  /** Reminds the group's owners of overdue items now, in or out of their hours (still once a day). */
  nudge(ctx: Configurer) {
    return this.s.nudges.run({ group: ctx.group, force: true });
  }

  markDone(ctx: Authorized<ItemWriteContext<'close'>>) {
    return this.s.items.markDone(ctx.itemId);
  }

  snooze(ctx: Authorized<ItemContext>, days: number) {
    return this.s.items.snooze(ctx.itemId, days);
  }

  /**
   * A new due date (the DM's picker, "I'm on it — new date"): in GitLab too when it can be, and the
   * escalation ladder waits for the item until that date has passed — a new date is the owner's answer.
   */
  async setDueDate(ctx: Authorized<ItemWriteContext<'due-date'>>, date: string) {
    const result = await this.s.items.setDueDate(ctx.itemId, date);
    if (result) this.s.ladder.hold(ctx.itemId, date, ctx.userId);
    return result;
  }

  /** "Create the story" for a facilitator: the issue, its epic link and the line's reference; then a sync. */
  async createStory(ctx: Authorized<DriftFixContext, Configure>) {
    const result = await this.s.driftActions.createStory(ctx.itemId);
    if (result.kind === 'created') this.s.requestSync(ctx.group.id);
    return result;
  }

  /** "Tick the line" for a facilitator: the epic's text with that line ticked; then a sync. */
  async tickLine(ctx: Authorized<DriftFixContext, Configure>) {
    const result = await this.s.driftActions.tickLine(ctx.itemId);
    if (result.kind === 'ticked') this.s.requestSync(ctx.group.id);
    return result;
  }

  /** How the group's escalation ladder climbs (`/wg escalation N M K`). */
  setEscalation(ctx: Configurer, settings: LadderSettings) {
    return this.s.ladder.setSettings(ctx.group, settings, ctx.userId);
  }

  /** "Blocked — tell the facilitator": the facilitators' step at once, with the owner's note. */
  blocked(ctx: Authorized<ItemContext>, note: string) {
    return this.s.ladder.blocked(ctx.itemId, note, ctx.userId);
  }

  /**
   * A new group from the create form, for a creator; the epic the gate checked (`ctx.source`), if any,
   * linked and queued for a sync. Its channel, if it is another group's home, needs that group's
   * facilitators (`home`).
   */
  createGroup(
    ctx: Authorized<CreatorContext> | Authorized<CreatorContext & Sourced>,
    input: NewGroup,
    home: Configurer | null,
  ): WorkingGroup {
    const epicUrl = 'source' in ctx ? ctx.source.url : null;
    const current = input.channelId ? this.s.groups.resolve(null, input.channelId, null) : null;
    if (current?.kind === 'found' && home?.group.id !== current.group.id)
      throw new Error(`${input.channelId} is the home of ${current.group.slug}; its facilitators must agree`);
    const group = this.s.groups.create(input);
    if (epicUrl) {
      this.s.links.link(group.slug, epicUrl);
      this.s.requestSync(group.id);
    }
    return group;
  }

  /** Opens a self-assessment round and DMs the members (`due`: null for a week). */
  startAssessment(ctx: AssessmentLead, due: Date | null) {
    return this.s.teamHealth.assessments.start(ctx.group, ctx.userId, due);
  }

  /** Closes the open round before its due date and posts its summary. */
  closeAssessment(ctx: AssessmentLead) {
    return this.s.teamHealth.assessments.close(ctx.group);
  }

  /** Files a closed round's gap areas as GitLab issues (with wgbot's token: `api` scope). */
  fileAssessmentIssues(ctx: Configurer, roundId: number) {
    return this.s.teamHealth.backlog.file(ctx.group, roundId);
  }

  /** The group's Definition-of-Done rules (its digest then carries the check); null: off, back to defaults. */
  setDodRules(ctx: Configurer, rules: DodRules | null): void {
    const { dod } = this.s.teamHealth;
    if (rules) dod.setRules(ctx.group, rules);
    else this.s.store.transaction(() => dod.rules.remove(ctx.group.id));
  }

  /** The group's usage source (a Prometheus instant query or JSON URL); null removes it. */
  setUsageSource(ctx: Configurer, url: string | null) {
    return this.s.teamHealth.usage.setSource(ctx.group, url);
  }
}
