"""Optional: parse + render every .mmd with the real Mermaid (v11) in headless Chromium.

Needs `npm install mermaid@11` in a scratch dir (MERMAID_DIR, default /tmp/mmdv) and the
Debian `chromium` package. Prints one OK/ERR line per file. Not needed by build_expectations.py.
"""
import glob
import json
import os
import re
import subprocess
import sys

SET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MD = os.environ.get("MERMAID_DIR", "/tmp/mmdv")
srcs = {os.path.basename(p): open(p, encoding="utf-8").read() for p in sorted(glob.glob(os.path.join(SET, "*.mmd")))}
html = """<html><body><pre id="out">pending</pre><div id="r"></div>
<script src="node_modules/mermaid/dist/mermaid.min.js"></script>
<script>
const S=%s; mermaid.initialize({startOnLoad:false});
(async()=>{let res=[];let i=0;
for (const [k,v] of Object.entries(S)){
 try{await mermaid.parse(v); const {svg}=await mermaid.render('g'+(i++),v);
     document.getElementById('r').innerHTML+=svg; res.push(k+': OK')}
 catch(e){res.push(k+': ERR '+e.message)}}
document.getElementById('out').textContent=res.join('\\n')+'\\nDONE';})();
</script></body></html>""" % json.dumps(srcs)
page = os.path.join(MD, "validate.html")
open(page, "w").write(html)
dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                      "--virtual-time-budget=20000", "--dump-dom", "file://" + page],
                     capture_output=True, text=True, timeout=120).stdout
out = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S).group(1)
print(out)
sys.exit(0 if "ERR" not in out and "DONE" in out else 1)
