import { restore, exportToSvg } from "@excalidraw/excalidraw";

async function main() {
  const out = { ok: false };
  try {
    const scene = window.SCENE;
    const input = scene.elements.filter((e) => !e.isDeleted);
    const restored = restore({ elements: scene.elements, appState: scene.appState, files: scene.files }, null, null);
    const live = restored.elements.filter((e) => !e.isDeleted);
    const byId = Object.fromEntries(live.map((e) => [e.id, e]));
    out.inputCount = input.length;
    out.restoredCount = live.length;
    out.missing = input.filter((e) => !byId[e.id]).map((e) => e.id);
    out.unbound = [];
    for (const id of window.CHECK_ARROWS || []) {
      const a = byId[id];
      if (!a || !a.startBinding || !a.endBinding) { out.unbound.push(id); continue; }
      for (const end of [a.startBinding.elementId, a.endBinding.elementId]) {
        const target = byId[end];
        if (!target || !(target.boundElements || []).some((b) => b.id === id)) out.unbound.push(id + "->" + end);
      }
    }
    // the user's elements where they drew them (zones may have grown: they are left out)
    out.moved = [];
    for (const [id, box] of Object.entries(window.ORIGINAL || {})) {
      const e = byId[id];
      if (!e) continue;
      const now = [e.x, e.y, e.width, e.height];
      if (now.some((v, i) => Math.abs(v - box[i]) > 0.01)) out.moved.push(id);
    }
    const svg = await exportToSvg({ elements: restored.elements, appState: { ...restored.appState, exportBackground: true }, files: restored.files || {} });
    out.svgText = Array.from(svg.querySelectorAll("text")).map((t) => t.textContent).join("\n");
    out.ok = true;
  } catch (err) {
    out.error = String(err && err.stack || err);
  }
  const pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}
main();
