import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
const db = new Database(':memory:');
for (const f of readdirSync('migrations').sort()) db.exec(readFileSync(`migrations/${f}`, 'utf8'));
const q = (sql: string) => console.log(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({wgId:1,limit:10,source:'a',position:1,id:1}).map((r: any) => r.detail).join(' / '));
q(`SELECT i.id, s.present FROM action_items i LEFT JOIN item_states s ON s.item_id = i.id AND s.wg_id = i.wg_id WHERE i.wg_id = @wgId AND i.removed_at IS NULL AND (i.source, i.position, i.id) > (@source, @position, @id) ORDER BY i.source, i.position, i.id LIMIT @limit`);
q(`SELECT i.id FROM action_items i WHERE i.wg_id = @wgId AND i.removed_at IS NULL AND (i.source, i.position, i.id) > (@source, @position, @id) ORDER BY i.source, i.position, i.id LIMIT @limit`);
q(`SELECT i.id FROM action_items i WHERE i.wg_id = @wgId AND i.removed_at IS NULL
         AND (i.source IN ('gitlab_issue', 'gitlab_epic') OR (i.source = 'epic_task' AND i.source_key LIKE 's%'))
         AND NOT EXISTS (SELECT 1 FROM gitlab_source_items m WHERE m.item_id = i.id)`);
