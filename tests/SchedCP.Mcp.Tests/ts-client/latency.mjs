// tools/call round-trip latency against the SchedCP server over stdio, for benchmarks/results/mcp.md.
//   node latency.mjs <calls> <command> [args...]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [count, command, ...args] = process.argv.slice(2);
const client = new Client({ name: "schedcp-latency", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
const cases = [
  ["list_schedulers", { limit: 10 }],
  ["search_policies", { query: "latency sensitive web server", limit: 5 }],
  ["get_policy", { name: "scx_lavd" }],
  ["get_policy", { name: "../bad" }],
];
const rows = [];
for (const [name, a] of cases) {
  for (let i = 0; i < 5; i++) await client.callTool({ name, arguments: a });
  const ms = [];
  for (let i = 0; i < Number(count); i++) {
    const t = process.hrtime.bigint();
    await client.callTool({ name, arguments: a });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((x, y) => x - y);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(2);
  rows.push(`| ${name}(${JSON.stringify(a)}) | ${count} | ${q(0.5)} | ${q(0.95)} | ${q(0.99)} |`);
}
console.log(rows.join("\n"));
await client.close();
