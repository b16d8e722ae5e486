import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findSubcommand } from '../../src/slack/commands/registry.js';
import { WG_COMMAND } from '../../src/slack/listeners/commands/index.js';
import { registerListeners } from '../../src/slack/listeners/index.js';
import { FEATURE_SCOPES, SCOPES_BY_METHOD, SUBSCRIBED_EVENTS } from '../../src/slack/scopes.js';
import { ACTIONS, VIEWS } from '../../src/slack/views/actionIds.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));
const schemaPath = join(root, 'test/fixtures/slack-manifest/manifest.schema.1.0.0.json');

/** Registers every listener on a recorder instead of a Bolt app, to see what the code listens to. */
function registered() {
  const seen = {
    commands: [] as string[],
    actions: [] as string[],
    events: [] as string[],
    views: [] as string[],
  };
  const recorder = {
    command: (name: string) => seen.commands.push(name),
    action: (id: string) => seen.actions.push(id),
    event: (name: string) => seen.events.push(name),
    view: (id: string) => seen.views.push(id),
  };
  registerListeners(recorder as never, {} as never);
  return seen;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('manifest.yml', () => {
  it('is a valid Slack app manifest (Slack’s JSON schema, in test/fixtures)', () => {
    const Ajv = AjvModule as unknown as typeof AjvModule.default;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares exactly the commands and events the code listens to', () => {
    const seen = registered();
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([WG_COMMAND]);
    expect(seen.commands).toEqual([WG_COMMAND]);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...SUBSCRIBED_EVENTS].sort(),
    );
    expect([...new Set(seen.events)].sort()).toEqual([...SUBSCRIBED_EVENTS].sort());
  });

  it('hints only at /wg subcommands the registry has', () => {
    const hint: string = manifest.features.slash_commands[0].usage_hint;
    const words = hint.split('|').map((part) => part.trim().split(/\s+/)[0]!);
    expect(words.length).toBeGreaterThan(0);
    for (const word of words) expect(findSubcommand(word)?.name, word).toBe(word);
  });

  it('has a listener for every action and view id the views use, and none for ids nobody uses', () => {
    const seen = registered();
    expect([...seen.actions].sort()).toEqual(Object.values(ACTIONS).sort());
    expect(seen.views).toEqual(expect.arrayContaining([VIEWS.createGroup]));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('asks for exactly the scopes of the Web API methods the code calls', () => {
    const code = sourceFiles(join(root, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const called = new Set<string>();
    for (const m of code.matchAll(
      /\.(chat|users|conversations|views|files|auth|apps|usergroups)\.((?:users\.)?\w+)\(/g,
    ))
      called.add(`${m[1]}.${m[2]}`);
    if (/\.filesUploadV2\(/.test(code)) called.add('files.uploadV2');
    for (const method of called)
      expect(SCOPES_BY_METHOD, `scope table lacks ${method}`).toHaveProperty([method]);
    const needed = new Set([...FEATURE_SCOPES, ...[...called].flatMap((m) => SCOPES_BY_METHOD[m] ?? [])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it('points every URL at /slack/events of one placeholder host, and works in Socket Mode too', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    ];
    expect(new Set(urls)).toEqual(new Set(['https://wgbot.example.com/slack/events']));
    expect(manifest.settings).toHaveProperty('socket_mode_enabled');
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
  });
});
