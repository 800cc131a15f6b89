// Reads a JSON array of Mermaid diagram texts on stdin and prints, for each, what Mermaid's
// own parser makes of it: {ok, type, nodes, edges, subgraphs} or {ok: false, error}.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ['DOMParser', 'Element', 'HTMLElement', 'Node']) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
const mermaid = (await import('mermaid')).default;
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const result = { ok: true, type: diagram.type };
    if (db.getVertices) {
      result.nodes = [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, shape: v.type ?? null, classes: v.classes }));
      result.edges = db.getEdges().map((e) => ({ from: e.start, to: e.end, text: e.text, type: e.type, stroke: e.stroke, style: e.style ?? [] }));
      result.subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes }));
      result.classes = [...db.getClasses().keys()];
    }
    results.push(result);
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error).slice(0, 500) });
  }
}
process.stdout.write(JSON.stringify(results));
