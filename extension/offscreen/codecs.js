// The export formats' codecs: Squoosh's libwebp and MozJPEG compiled to
// WebAssembly (npm @jsquash/webp, @jsquash/jpeg), started on first use of a
// format, once per worker.
export { codecFor, CODEC_WASM };

import decodeJpeg, { init as initJpegDecoder } from "@jsquash/jpeg/decode.js";
import encodeJpeg, { init as initJpegEncoder } from "@jsquash/jpeg/encode.js";
import decodeWebp, { init as initWebpDecoder } from "@jsquash/webp/decode.js";
import encodeWebp, { init as initWebpEncoder } from "@jsquash/webp/encode.js";

// The .wasm files, as the build copies them into dist/codecs/ (build_extension.py
// CODEC_FILES): esbuild bundles emscripten's glue but not the wasm it names with
// `new URL("x.wasm", import.meta.url)`, so each is fetched from the extension and
// handed to the library's init. WebP's encoder is the SIMD build only: the library
// picks its glue with wasm-feature-detect's simd() (WebAssembly.validate, which works
// in a Worker), and SIMD is on in every Chrome the manifest admits (≥ 124; since 91):
// one file fewer to ship, and a browser without SIMD fails to compile it, here.
const CODEC_WASM = {
  webp: { encoder: "webp_enc_simd.wasm", decoder: "webp_dec.wasm" },
  jpeg: { encoder: "mozjpeg_enc.wasm", decoder: "mozjpeg_dec.wasm" },
};

const LIBRARIES = {
  webp: { initEncoder: initWebpEncoder, initDecoder: initWebpDecoder, encode: encodeWebp, decode: decodeWebp },
  jpeg: { initEncoder: initJpegEncoder, initDecoder: initJpegDecoder, encode: encodeJpeg, decode: decodeJpeg },
};

const started = new Map(); // format → Promise<codec>

/**
 * The format's codec: `encode({data, width, height}, options)` → Uint8Array of
 * the file, `decode(bytes)` → ImageData (straight RGBA). A failure is thrown
 * with what the codec wrote on stderr (libjpeg's reasons: "Insufficient
 * memory", "Not a JPEG file"); a decoder that warns (libjpeg: "Premature end
 * of JPEG file", "Corrupt JPEG data") fails too. Every call leaves fresh
 * instances behind, made from the compiled modules in a few milliseconds: a
 * WebAssembly heap never shrinks, so a large image's (~0.5 GB for a 12 MP
 * WebP) is dropped as soon as it is done, and an emscripten module that
 * aborted or exited is never trusted with the next image.
 */
function codecFor(format) {
  if (!started.has(format)) {
    const codec = startCodec(format);
    codec.catch(() => started.delete(format)); // a failed start is tried again next time
    started.set(format, codec);
  }
  return started.get(format);
}

async function startCodec(format) {
  const library = LIBRARIES[format];
  const { encoder, decoder } = CODEC_WASM[format];
  const [encoderModule, decoderModule] = await Promise.all([compileShipped(encoder), compileShipped(decoder)]);
  let messages = []; // what the codec printed during the current call
  const printErr = (text) => messages.push(text);
  // The libraries instantiate a given module synchronously: fine in a Worker,
  // where Chromium allows it for modules of any size.
  const freshEncoder = () => library.initEncoder(encoderModule, { printErr });
  const freshDecoder = () => library.initDecoder(decoderModule, { printErr });
  await Promise.all([freshEncoder(), freshDecoder()]);
  const call = async (run, renew, isWarningFatal) => {
    messages = [];
    try {
      const result = await run();
      if (isWarningFatal && messages.length) throw new Error("the decoder warned");
      return result;
    } catch (err) {
      const said = messages.length ? ` (${messages.join("; ")})` : "";
      throw new Error(`${err?.message ?? err}${said}`, { cause: err });
    } finally {
      await renew().catch(() => started.delete(format)); // none: start over on the next call
    }
  };
  return {
    encode: (image, options) => call(async () => new Uint8Array(await library.encode(image, options)), freshEncoder, false),
    decode: (bytes) => call(() => library.decode(bytes), freshDecoder, true),
  };
}

async function compileShipped(name) {
  const response = await fetch(`/codecs/${name}`);
  if (!response.ok) throw new Error(`the codec file /codecs/${name} could not be read (HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}
