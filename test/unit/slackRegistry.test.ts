import { describe, expect, it } from 'vitest';
import type { CommandDeps, SlashCommand } from '../../src/slack/commands/command.js';
import { answersInAck, dispatch, requiredLevel } from '../../src/slack/commands/dispatch.js';
import { parseWgCommand } from '../../src/slack/commands/parse.js';
import { findSubcommand, nearestSubcommand, SUBCOMMANDS } from '../../src/slack/commands/registry.js';
import type { PermissionGate } from '../../src/slack/gate.js';
import { helpView } from '../../src/slack/views/feedback.js';
import { esc } from '../../src/slack/views/mrkdwn.js';

const all: readonly SlashCommand[] = SUBCOMMANDS;

/** The arguments of a subcommand's own example (`@ada` typed arrives as a mention): every example parses. */
function exampleArgs(command: SlashCommand): unknown {
  const typed = command.example
    .replace(/^\/wg /, '')
    .replace(/ @(\w+)/g, (_, name: string) => ` <@U0${name.toUpperCase()}>`);
  const parsed = parseWgCommand(typed);
  if (!parsed.ok) throw new Error(`${command.example}: ${parsed.error}`);
  expect(parsed.subcommand).toBe(command);
  return parsed.args;
}

describe('/wg registry', () => {
  it('has one subcommand per name and alias, each with its help fields', () => {
    const words = all.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    expect(new Set(words).size).toBe(words.length);
    for (const c of all) {
      expect(c.name, c.name).toMatch(/^[a-z]+$/);
      expect(c.usage.split(' ')[0], c.name).toBe(c.name);
      expect(c.example, c.name).toMatch(new RegExp(`^/wg ${c.name}\\b`));
      expect(c.summary, c.name).toMatch(/^\S[^\n]*[^.]$/);
      for (const word of [c.name, ...(c.aliases ?? [])]) expect(findSubcommand(word.toUpperCase())).toBe(c);
    }
  });

  it('answers in the acknowledgement only what anyone may run, so no ack waits on Slack', () => {
    const unchecked = { userId: 'U0ADA', checksReads: () => false };
    for (const c of all) {
      const args = exampleArgs(c);
      if (answersInAck(c, args, unchecked)) expect(requiredLevel(c, args), c.name).toBe('anyone');
    }
    const inAck = all.filter((c) => answersInAck(c, exampleArgs(c), unchecked)).map((c) => c.name);
    expect(inAck).toEqual(['status', 'items', 'criteria', 'drift', 'history', 'list', 'help']);
    // A subcommand that asks for the ack but needs a facilitator still answers after it.
    const odd = { ...findSubcommand('archive')!, answersInAck: true } as SlashCommand;
    expect(answersInAck(odd, { slug: null }, unchecked)).toBe(false);
    // Item titles for a reader whose GitLab access is checked wait for GitLab: after the ack.
    const checked = { userId: 'U0ADA', checksReads: (id: string) => id === 'U0ADA' };
    const checkedInAck = all.filter((c) => answersInAck(c, exampleArgs(c), checked)).map((c) => c.name);
    expect(checkedInAck).toEqual(['criteria', 'history', 'list', 'help']);
  });

  it('says which level each subcommand requires, by its arguments', () => {
    const level = (text: string) => {
      const parsed = parseWgCommand(text);
      if (!parsed.ok) throw new Error(parsed.error);
      return requiredLevel(parsed.subcommand, parsed.args);
    };
    expect(level('status')).toBe('anyone');
    expect(level('digest preview')).toBe('anyone');
    expect(level('digest now')).toBe('facilitator');
    expect(level('role')).toBe('anyone');
    expect(level('role add <@U1> member')).toBe('facilitator');
    expect(level('schedule')).toBe('anyone');
    expect(level('schedule off')).toBe('facilitator');
    for (const name of ['link', 'archive', 'unarchive', 'nudge', 'bind'])
      expect(requiredLevel(findSubcommand(name)!, {}), name).toBe('facilitator');
  });

  it('makes /wg help and the "did you mean" from the same objects', () => {
    const help = JSON.stringify(helpView(SUBCOMMANDS));
    // As mrkdwn: `<slug>` is escaped so that Slack shows it as written.
    for (const c of all) expect(help).toContain(`/wg ${esc(c.usage).replace(/"/g, '\\"')}`);
    expect(nearestSubcommand('stauts')?.name).toBe('status');
    expect(nearestSubcommand('scedule')?.name).toBe('schedule');
    expect(nearestSubcommand('frobnicate')).toBeNull();
    const typo = parseWgCommand('archve');
    expect(typo).toMatchObject({ ok: false, suggestion: '/wg archive' });
  });

  it('runs nothing when the gate refuses, and hands the gate’s proof to the subcommand when it allows', async () => {
    const calls: string[] = [];
    const refusal = { text: 'no', blocks: [] };
    const gate = {
      group: async (_t: unknown, _u: string, level: string) => {
        calls.push(`gate ${level}`);
        return level === 'facilitator' ? { ok: false, view: refusal } : { ok: true, ctx: { level } };
      },
    } as unknown as PermissionGate;
    const probe = {
      ...findSubcommand('role')!,
      run: (ctx: { level: string }) => {
        calls.push(`run ${ctx.level}`);
        return null;
      },
    } as SlashCommand;
    const call = { userId: 'U1', channelId: 'C1', channelName: null, commands: SUBCOMMANDS };
    const deps = { gate } as unknown as CommandDeps;
    expect(await dispatch(probe, { action: 'add', userId: 'U2', role: 'member' }, call, deps)).toEqual({
      view: refusal,
      inChannel: false,
    });
    expect(await dispatch(probe, { action: 'list' }, call, deps)).toBeNull();
    expect(calls).toEqual(['gate facilitator', 'gate anyone', 'run anyone']);
  });
});
