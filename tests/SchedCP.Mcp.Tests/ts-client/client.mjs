// A client on the official TypeScript MCP SDK: connects to the SchedCP server, lists tools, resources and prompts,
// calls every tool once and prints one JSON object with what it saw.
//   node client.mjs stdio <command> [args...]
//   SCHEDCP_MCP_TOKEN=<bearer> node client.mjs http <url>
// With SCHEDCP_KERNEL_FLOW=1 it then drives the kernel tools against a server started with --target sandbox and
// --signing-key: verify at kernel depth (a token), run, stop, deploy with that token, rollback; under "kernel".
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, target, ...rest] = process.argv.slice(2);
if (!mode || !target || !["stdio", "http"].includes(mode)) {
  console.error("usage: node client.mjs stdio <command> [args...] | node client.mjs http <url>");
  process.exit(2);
}

const transport = mode === "stdio"
  ? new StdioClientTransport({ command: target, args: rest, stderr: "ignore" })
  : new StreamableHTTPClientTransport(new URL(target), {
    // The HTTP endpoint requires the server's bearer token on every request.
    requestInit: { headers: { Authorization: `Bearer ${process.env.SCHEDCP_MCP_TOKEN ?? ""}` } },
  });
const client = new Client({ name: "schedcp-ts-client", version: "1.0.0" });
await client.connect(transport);

const text = (r) => (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n").slice(0, 300);
// Kernel tools boot a sched_ext guest: allow them minutes, not the SDK's default minute.
const call = async (name, args = {}) => {
  const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 600000 });
  return { isError: r.isError === true, structured: r.structuredContent ?? null, text: text(r) };
};

const tools = (await client.listTools()).tools;
const out = {
  tools: tools.map((t) => ({ name: t.name, hasOutputSchema: !!t.outputSchema })),
  resources: (await client.listResources()).resources.map((r) => r.uri),
  prompts: (await client.listPrompts()).prompts.map((p) => p.name),
  calls: {},
};

const first = (await call("list_schedulers", { limit: 1 })).structured?.items?.[0]?.name ?? "scx_simple";
const created = await call("workload", { action: "create", description: "ts client workload" });
const fingerprint = created.structured?.workloads?.[0]?.fingerprint ?? "none";
const plan = [
  ["list_schedulers", { limit: 2 }],
  ["search_policies", { query: "low latency gaming", limit: 2 }],
  ["get_policy", { name: first }],
  ["get_policy", { name: "../../etc/passwd" }, "get_policy_bad_name"],
  ["verify", { name: first, stage: "parameters" }],
  ["workload", { action: "list" }],
  ["record_baseline", { fingerprint, makespanSeconds: 12.5 }],
  ["workload", { action: "add_history", fingerprint, policy: first, makespanSeconds: 11 }, "workload_add_history"],
  ["workload", { action: "get_history", fingerprint }, "workload_get_history"],
  ["get_feedback", { fingerprint }],
  ["analyze_workload", { tier: 1 }],
  ["system_monitor", { action: "start" }, "system_monitor_start"],
  ["system_monitor", { action: "stop" }, "system_monitor_stop"],
  ["create_and_verify_scheduler", { name: "ts_sched", source: "int x;", description: "ts" }],
  ["get_execution_status", {}],
  ["list_primitives", {}],
  ["compose_scheduler", { name: "ts_composed", primitives: ["no_such_primitive"] }, "compose_scheduler_bad_primitive"],
  ["run_scheduler", { name: first }],
  ["stop_scheduler", { executionId: "nosuch" }],
  ["deploy", { name: first, token: "not-a-token" }],
  ["rollback", {}],
];
for (const [name, args, key] of plan) {
  out.calls[key ?? name] = await call(name, args);
}

if (process.env.SCHEDCP_KERNEL_FLOW === "1") {
  const kernel = {};
  kernel.verify = await call("verify", { name: "vtime", stage: "kernel" });
  const token = kernel.verify.structured?.token ?? "";
  kernel.run = await call("run_scheduler", { name: "vtime", seconds: 1 });
  kernel.stop = await call("stop_scheduler", { executionId: kernel.run.structured?.executionId ?? "none" });
  kernel.deploy = await call("deploy", { name: "vtime", token });
  kernel.rollback = await call("rollback", {});
  out.kernel = kernel;
}

console.log(JSON.stringify(out));
await client.close();
