// A pipeline graph put back together from its skeleton and the network file
// its weights come from (build/graph_parts.py cut it so): the extension ships
// and stores ISNet's file once, not inside each graph. Pure: bytes in, bytes
// out; the caller checks the result's length and SHA-256 against the built
// graph's before any session sees it, so a wrong part can only fail closed.
export { assembleGraph, halfToFloat };

/**
 * `recipe`: {bytes, parts: [{at, from, count, kind, width?, channels?, scaleAt?}]},
 * parts sorted by `at` (their offsets in the graph); the skeleton is the graph
 * without those ranges.
 */
function assembleGraph(skeleton, network, recipe) {
  const graph = new Uint8Array(recipe.bytes);
  let read = 0;
  let written = 0;
  for (const part of recipe.parts) { // the skeleton first: int8 parts read their scales from it
    const gap = part.at - written;
    graph.set(skeleton.subarray(read, read + gap), written);
    read += gap;
    written = part.at + partLength(part);
  }
  graph.set(skeleton.subarray(read), written);
  if (written + skeleton.byteLength - read !== recipe.bytes) {
    throw new Error(`graph parts: skeleton and parts make ${written + skeleton.byteLength - read} bytes, expected ${recipe.bytes}`);
  }
  for (const part of recipe.parts) {
    if (part.from + sourceLength(part) > network.byteLength) throw new Error("graph parts: a part lies outside the network file");
    if (part.kind === "copy") graph.set(network.subarray(part.from, part.from + sourceLength(part)), part.at);
    else if (part.kind === "int8") fillInt8(graph, network, part);
    else throw new Error(`graph parts: unknown kind ${part.kind}`);
  }
  return graph;
}

// Bytes a part fills in the graph, and reads from the network file: a copy's
// elements are `width` bytes (2: fp16 weights; 1: a quantised network's), an
// int8 part is made from fp16 weights.
function partLength(part) {
  return part.kind === "int8" ? part.count : copyWidth(part) * part.count;
}

function sourceLength(part) {
  return part.kind === "int8" ? 2 * part.count : copyWidth(part) * part.count;
}

function copyWidth(part) {
  return part.width ?? 2;
}

// What ONNX Runtime's quantiser computed at build time, per output channel:
// clip(round_half_even(float32(w) / scale), -127, 127). The division in
// double rounded once to float32 is the float32 division (both operands are
// float32), so the rounding that follows sees numpy's value.
function fillInt8(graph, network, { at, from, count, channels, scaleAt }) {
  // Copied out: a tensor's bytes lie at any offset in its file, typed arrays need aligned ones.
  const scales = new Float32Array(graph.slice(scaleAt, scaleAt + 4 * channels).buffer);
  const weights = new Uint16Array(network.slice(from, from + 2 * count).buffer);
  const perChannel = count / channels;
  const out = new Int8Array(graph.buffer, graph.byteOffset + at, count);
  const table = halfTable();
  for (let channel = 0, i = 0; channel < channels; channel += 1) {
    const scale = scales[channel];
    for (const end = i + perChannel; i < end; i += 1) {
      const q = Math.fround(table[weights[i]] / scale) + TO_EVEN - TO_EVEN;
      out[i] = q > 127 ? 127 : q < -127 ? -127 : q;
    }
  }
}

// x + 1.5·2^52 − 1.5·2^52 is x rounded to the nearest integer, halves to even,
// for any |x| < 2^51: a double has no bits left below the units there.
const TO_EVEN = 6755399441055744;

let halves;
// Every float16 bit pattern's value, once (a 256 KB table beats decoding 44 M weights one by one).
function halfTable() {
  if (!halves) {
    halves = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits += 1) halves[bits] = halfToFloat(bits);
  }
  return halves;
}

function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
