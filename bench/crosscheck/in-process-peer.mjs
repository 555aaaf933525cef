// The cross-check's static peers (peer.mjs) inside another Node process, loaded before that
// process's own code with `node --import`: run.sh starts `npm run start:gateway`'s gateway this
// way when CROSSCHECK_IN_PROCESS=1, so that the very same static apps are also measured inside
// the gateway's process (its heap, its database sockets, its code), apart from what the gateway
// does per request. Nothing of the host process is touched.
//
//   CROSSCHECK_IN_PROCESS_PEERS=3307:simple,3308:credentialed node --import ./bench/crosscheck/in-process-peer.mjs <main>
import { isPeerMode, startPeer } from './peer.mjs';

const peers = (process.env.CROSSCHECK_IN_PROCESS_PEERS ?? '').split(',').map((peer) => peer.split(':'));
if (peers.some(([port, mode]) => !/^[0-9]+$/.test(port ?? '') || !isPeerMode(mode))) {
  console.error('in-process-peer: CROSSCHECK_IN_PROCESS_PEERS is a list of <port>:<bare|simple|credentialed>, comma-separated');
  process.exit(2);
}
for (const [port, mode] of peers) await startPeer(port, mode);
