import { App, Database } from './lib/stack.js';
import { sleep } from './lib/stats.js';
const db = await Database.create();
const admin = await App.admin(db);
const gw = await App.gateway('g', db);
const c = admin.client();
for (let i = 0; i < 20; i++) {
  await c.createTenant(`a${i}`);
  await c.addOrigin(`a${i}`, 'https://a.test');
}
const hit = async (i: number) =>
  (await fetch(`${gw.url}/t/a${i}/echo`, { headers: { origin: 'https://a.test' } })).status;
await Promise.all(Array.from({ length: 20 }, (_, i) => hit(i)));
const t0 = performance.now();
await db.stop();
console.log('stopped', Math.round(performance.now() - t0));
let fails: string[] = [];
const loop = (async () => {
  for (let k = 0; k < 150; k++) {
    const r = await Promise.all(Array.from({ length: 20 }, (_, i) => hit(i)));
    const bad = r.filter((s) => s !== 200).length;
    if (bad) fails.push(`${Math.round(performance.now() - t0)}:${bad}`);
    await sleep(50);
  }
})();
await sleep(4000);
await db.start();
console.log('started', Math.round(performance.now() - t0));
await loop;
console.log(fails.join(' '));
console.log(
  gw.process
    .output()
    .split('\n')
    .filter((l) => !l.includes('listener lost'))
    .map((l) => l.slice(0, 600))
    .join('\n')
    .slice(0, 3000),
);
await gw.stop();
await admin.stop();
await db.destroy();
