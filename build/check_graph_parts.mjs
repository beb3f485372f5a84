// The build's proof that each shipped skeleton, with its parts and the shipped
// network file, rebuilds its graph byte for byte, by the extension's own code.
//     node build/check_graph_parts.mjs dist/models/default.json [NETWORK_FILE]
// (the network file: beside the manifest unless given; the extension downloads it).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

import { assembleGraph } from "../extension/offscreen/graph_parts.js";

const manifestPath = process.argv[2];
const folder = dirname(manifestPath);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const read = (name) => new Uint8Array(readFileSync(join(folder, name)));
const network = process.argv[3] ? new Uint8Array(readFileSync(process.argv[3])) : read(manifest.network.file);
for (const entry of [manifest, manifest.webgpu].filter((e) => e?.skeleton)) {
  const graph = assembleGraph(read(entry.skeleton.file), network, entry);
  const digest = createHash("sha256").update(graph).digest("hex");
  if (graph.byteLength !== entry.bytes || digest !== entry.sha256) {
    console.error(`${entry.skeleton.file}: assembled ${graph.byteLength} bytes, SHA-256 ${digest}; expected ${entry.bytes}, ${entry.sha256}`);
    process.exit(1);
  }
  console.log(`${entry.skeleton.file} + ${manifest.network.file} → ${entry.graph}: identical (${entry.parts.length} parts)`);
}
