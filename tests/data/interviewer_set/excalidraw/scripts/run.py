import os, sys
import build_all
out = sys.argv[1] if len(sys.argv) > 1 else build_all.OUT
only = sys.argv[2:] 
for name, f in build_all.SKETCHES.items():
    if only and not any(name.startswith(o) for o in only):
        continue
    f().save(os.path.join(out, name + ".excalidraw"))
    print("wrote", name)
