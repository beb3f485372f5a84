// SHA-256 as lowercase hex: how the build records digests (models/*.json) and
// how the engine checks what it reads back (graphs, the Python snapshot).
export { sha256Hex };

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
