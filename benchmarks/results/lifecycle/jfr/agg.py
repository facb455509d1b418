import sys, re, collections
# Bytes per request by allocation site from `jfr print --events jdk.ObjectAllocationSample --stack-depth 40 x.jfr`.
# usage: agg.py <jfr print output> <requests in the window> [since HH:MM:SS] [until HH:MM:SS]
units={'bytes':1,'byte':1,'kB':1e3,'MB':1e6,'GB':1e9}
path, reqs = sys.argv[1], float(sys.argv[2])
since = sys.argv[3] if len(sys.argv) > 3 else None  # HH:MM:SS, events before it are ignored
until = sys.argv[4] if len(sys.argv) > 4 else None
by_cls=collections.Counter(); by_frame=collections.Counter(); by_pair=collections.Counter(); total=0
ev=None
def flush(ev):
    global total
    if not ev: return
    if since and ev.get('t','') < since: return
    if until and ev.get('t','') >= until: return
    w=ev['w']; total+=w
    frames=ev['st']
    ug=[f for f in frames if 'upstreamguard' in f]
    first_app = next((f for f in frames if not re.match(r'(java|jdk|sun)\.', f)), frames[0] if frames else '?')
    key = ug[0] if ug else '(no upstreamguard frame) ' + first_app
    by_cls[ev['cls']]+=w; by_frame[key]+=w; by_pair[(ev['cls'], first_app, key)]+=w
with open(path) as f:
    for line in f:
        s=line.strip()
        if s.startswith('jdk.ObjectAllocationSample'):
            flush(ev); ev={'w':0,'cls':'?','st':[]}; inst=False
        elif ev is None: continue
        elif s.startswith('startTime ='):
            ev['t']=s.split('=',1)[1].strip()[:8]
        elif s.startswith('objectClass ='):
            ev['cls']=s.split('=',1)[1].split(' (')[0].strip()
        elif s.startswith('weight ='):
            v,u=s.split('=',1)[1].split(); ev['w']=float(v.replace(',',''))*units[u]
        elif s.startswith('stackTrace = ['): inst=True
        elif inst and s==']': inst=False
        elif inst and s and s!='...':
            ev['st'].append(re.sub(r'\s+line:.*','',s))
flush(ev)
print(f"total {total/reqs:.0f} B/req over {reqs:.0f} requests")
print("-- by first upstreamguard frame (B/req)")
for k,v in by_frame.most_common(400): print(f"{v/reqs:8.1f}  {k}")
print("-- by class (B/req)")
for k,v in by_cls.most_common(25): print(f"{v/reqs:8.1f}  {k}")
print("-- by class, first non-JDK frame, first upstreamguard frame (B/req)")
for k,v in by_pair.most_common(60): print(f"{v/reqs:8.1f}  {k[0]} | {k[1]} | {k[2]}")
