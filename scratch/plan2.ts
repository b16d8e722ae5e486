import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
const db = new Database(':memory:');
for (const f of readdirSync('migrations').sort()) db.exec(readFileSync(`migrations/${f}`, 'utf8'));
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT m.item_id, i.external_id FROM action_items i CROSS JOIN gitlab_source_items m
       WHERE i.wg_id = (SELECT wg_id FROM gitlab_sources WHERE id = @sourceId) AND i.source = @kind
         AND m.source_id = @sourceId AND m.item_id = i.id`).all({sourceId:1,kind:'gitlab_epic'}).map((r: any) => r.detail));
