// ONNX Runtime Web on a thread of its own, for the engine worker (ort_remote.js
// is the other end). ORT-web runs a session's creation and each run's setup on
// the thread that calls it, and the engine's thread also restores Python at
// boot: the two took turns (~0.5 s each) while the second core waited. Here
// the model's session opens while Python restores. ORT-web's own proxy worker
// would do this, but it refuses to start from a worker (it needs a document).
//
// The build to load and the thread count come in the URL (?module=&threads=).
// Requests are {id, op: "create" | "run" | "release", ...}; answers {id, ok,
// result} or {id, ok: false, error: {name, message}}. Output tensors' buffers
// are transferred, not copied.
import { plainTensor, transferList } from "./ort_tensors.js";

const params = new URL(self.location.href).searchParams;
const runtime = import(params.get("module")).then((ort) => {
  ort.env.wasm.numThreads = Number(params.get("threads"));
  ort.env.wasm.wasmPaths = "/ort/";
  return ort;
});
const sessions = new Map(); // id → InferenceSession
let nextSession = 1;

const ops = {
  async create({ graph, options }) {
    const ort = await runtime;
    const session = await ort.InferenceSession.create(graph, options);
    const id = nextSession++;
    sessions.set(id, session);
    return { session: id, inputNames: session.inputNames, outputNames: session.outputNames };
  },

  async run({ session, feeds, fetches }) {
    const ort = await runtime;
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, { type, data, dims }]) => [name, new ort.Tensor(type, data, dims)]));
    try {
      const outputs = await (fetches ? opened(session).run(tensors, fetches) : opened(session).run(tensors));
      return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, plainTensor(tensor)]));
    } finally {
      for (const tensor of Object.values(tensors)) tensor.dispose();
    }
  },

  async release({ session }) {
    await opened(session).release();
    sessions.delete(session);
    return null;
  },
};

function opened(id) {
  const session = sessions.get(id);
  if (!session) throw new Error(`no ONNX Runtime session ${id} (released?)`);
  return session;
}

self.onmessage = async ({ data: { id, op, ...args } }) => {
  try {
    if (!Object.hasOwn(ops, op)) throw new Error(`the ONNX Runtime worker has no operation ${JSON.stringify(op)}`);
    const result = await ops[op](args);
    self.postMessage({ id, ok: true, result }, op === "run" ? transferList(Object.values(result)) : []);
  } catch (err) {
    // The message is what the pipeline reads (an out-of-memory is told by its words).
    self.postMessage({ id, ok: false, error: { name: err?.name ?? "Error", message: String(err?.message ?? err) } });
  }
};
