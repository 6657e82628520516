#!/usr/bin/env python3
"""Who owns the float[] and double[] of a heap dump: each array's chain of first referrers, bytes summed per chain.

Usage: bench/heap-owners.py DUMP.hprof [DEPTH] [ROWS]
  DEPTH: referrers named per chain (default 4), ROWS: chains printed (default 40), largest first.

A dump of the bench render 5 s in (live objects only; `jcmd PID GC.heap_dump FILE` forces a full collection first):
  ./stemroom render /work/bench-runs/inputs/upmix-mix.wav --preset surround-audience --layout 5.1 \
      --room /work/bench-runs/inputs/room-6ch-2.5s.wav -q -o /tmp/r & sleep 5; jcmd $! GC.heap_dump /tmp/r.hprof
Each array is charged to the first object found referring to it (instance fields, object arrays, statics; `[]` steps
through arrays are not named), so an array shared by two owners counts once. Session 27 (docs/render-speed-history.md).
"""
import struct, sys, collections
path = sys.argv[1]
depth = int(sys.argv[2]) if len(sys.argv) > 2 else 4
data = open(path, 'rb').read()
p = data.index(b'\0') + 1
idsz = struct.unpack('>I', data[p:p+4])[0]; p += 12
rid = (lambda b, o: struct.unpack_from('>Q', b, o)[0]) if idsz == 8 else (lambda b, o: struct.unpack_from('>I', b, o)[0])
strings, cname = {}, {}
classes = {}   # id -> (super, [(name, type)])
prim = {}      # id -> (type char, bytes)
inst = {}      # id -> (class, offset, len)
objarr = {}    # id -> (class, offset, n)
roots = {}
TS = {2: idsz, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
PC = {4: 'Z', 5: 'C', 6: 'F', 7: 'D', 8: 'B', 9: 'S', 10: 'I', 11: 'J'}
while p < len(data):
    tag = data[p]; ln = struct.unpack_from('>I', data, p + 5)[0]; p += 9; end = p + ln
    if tag == 1:
        strings[rid(data, p)] = data[p+idsz:end].decode('utf8', 'replace')
    elif tag == 2:
        cname[rid(data, p + 4)] = strings.get(rid(data, p + 8 + idsz), '?')
    elif tag in (0x0C, 0x1C):
        q = p
        while q < end:
            st = data[q]; q += 1
            if st == 0xFF: roots[rid(data, q)] = 'unknown'; q += idsz
            elif st == 0x01: roots[rid(data, q)] = 'jni global'; q += 2 * idsz
            elif st in (0x02, 0x03): roots[rid(data, q)] = 'local'; q += idsz + 8
            elif st == 0x04: roots[rid(data, q)] = 'native stack'; q += idsz + 4
            elif st == 0x05: roots[rid(data, q)] = 'sticky'; q += idsz
            elif st == 0x06: roots[rid(data, q)] = 'thread block'; q += idsz + 4
            elif st == 0x07: roots[rid(data, q)] = 'monitor'; q += idsz
            elif st == 0x08: roots[rid(data, q)] = 'thread'; q += idsz + 8
            elif st == 0x20:
                cid = rid(data, q); sup = rid(data, q + 4 + idsz); q += 4 + 7 * idsz + 4
                ncp = struct.unpack_from('>H', data, q)[0]; q += 2
                for _ in range(ncp):
                    t = data[q + 2]; q += 3 + TS[t]
                nst = struct.unpack_from('>H', data, q)[0]; q += 2
                statics = []
                for _ in range(nst):
                    nm = rid(data, q); t = data[q + idsz]; q += idsz + 1
                    if t == 2: statics.append((strings.get(nm, '?'), rid(data, q)))
                    q += TS[t]
                nf = struct.unpack_from('>H', data, q)[0]; q += 2
                fl = []
                for _ in range(nf):
                    fl.append((strings.get(rid(data, q), '?'), data[q + idsz])); q += idsz + 1
                classes[cid] = (sup, fl, statics)
            elif st == 0x21:
                oid = rid(data, q); c = rid(data, q + 4 + idsz); n = struct.unpack_from('>I', data, q + 4 + 2 * idsz)[0]
                q += 8 + 2 * idsz
                inst[oid] = (c, q, n); q += n
            elif st == 0x22:
                oid = rid(data, q); n = struct.unpack_from('>I', data, q + 4 + idsz)[0]; c = rid(data, q + 8 + idsz)
                q += 8 + 2 * idsz
                objarr[oid] = (c, q, n); q += n * idsz
            elif st == 0x23:
                oid = rid(data, q); n = struct.unpack_from('>I', data, q + 4 + idsz)[0]; t = data[q + 8 + idsz]
                q += 9 + idsz
                prim[oid] = (PC[t], n * TS[t]); q += n * TS[t]
            else:
                sys.exit('unknown subrecord %x' % st)
    p = end
parent = {}
def link(child, owner, how):
    if child and child not in parent: parent[child] = (owner, how)
def fields(c):
    out = []
    while c in classes:
        sup, fl, _ = classes[c]; out.extend(fl); c = sup
    return out
fcache = {}
for oid, (c, off, n) in inst.items():
    fl = fcache.get(c)
    if fl is None: fl = fcache[c] = fields(c)
    q = off
    for nm, t in fl:
        if t == 2: link(rid(data, q), oid, nm)
        q += TS[t]
for oid, (c, off, n) in objarr.items():
    for i in range(n): link(rid(data, off + i * idsz), oid, '[]')
for cid, (sup, fl, statics) in classes.items():
    for nm, v in statics: link(v, cid, 'static ' + nm)
def name(o):
    if o in inst: return cname.get(inst[o][0], '?').split('/')[-1]
    if o in objarr: return cname.get(objarr[o][0], '?').split('/')[-1]
    if o in classes: return 'class ' + cname.get(o, '?').split('/')[-1]
    if o in prim: return prim[o][0] + '[]'
    return '?'
agg = collections.defaultdict(lambda: [0, 0])
tot = collections.Counter()
for oid, (t, b) in prim.items():
    if t not in 'FD': continue
    tot[t] += b
    chain, o, seen = [], oid, 0
    while o in parent and len(chain) < depth:
        ow, how = parent[o]
        if how != '[]': chain.append(name(ow) + '.' + how)
        o = ow; seen += 1
        if seen > 50: break
    if len(chain) < depth and o in roots: chain.append('<' + roots[o] + '>')
    k = t + ': ' + ' < '.join(chain)
    agg[k][0] += 1; agg[k][1] += b
print('float[] %.1f MB, double[] %.1f MB' % (tot['F'] / 1e6, tot['D'] / 1e6))
for k, (c, b) in sorted(agg.items(), key=lambda x: -x[1][1])[:int(sys.argv[3]) if len(sys.argv) > 3 else 40]:
    print('%7.2f MB %6d  %s' % (b / 1e6, c, k))
