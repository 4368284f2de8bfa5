// Lives inside the shadow root: the host page's CSS cannot reach in, and ours cannot leak out.
export const CSS = `
:host{all:initial}
.hw{--hc:#2563eb;--hct:#fff;--bg:#fff;--soft:#f4f6f9;--line:#e3e7ee;--ink:#1b2230;--mute:#667085;--err:#b42318;
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);-webkit-font-smoothing:antialiased;text-align:left}
.hw *,.hw *::before,.hw *::after{box-sizing:border-box}
[hidden]{display:none!important}
button{font:inherit;color:inherit;cursor:pointer}
:focus-visible{outline:2px solid var(--hc);outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:58px;height:58px;border:0;border-radius:50%;background:var(--hc);color:var(--hct);display:grid;place-items:center;box-shadow:0 8px 24px rgba(16,24,40,.22);transition:transform .16s ease}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:27px;height:27px}
.badge{position:absolute;top:-3px;right:-3px;min-width:21px;height:21px;padding:0 6px;border-radius:11px;background:#e5484d;color:#fff;font-size:12px;font-weight:700;line-height:21px;text-align:center;box-shadow:0 0 0 2px #fff}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:380px;max-width:calc(100vw - 40px);height:min(620px,calc(100vh - 116px));display:flex;flex-direction:column;background:var(--bg);border-radius:18px;overflow:hidden;box-shadow:0 16px 48px rgba(16,24,40,.2),0 0 0 1px rgba(16,24,40,.05);animation:hw-in .2s ease-out;transform-origin:bottom right}
@keyframes hw-in{from{opacity:0;transform:translateY(12px) scale(.97)}}
.head{display:flex;align-items:center;gap:12px;padding:16px 14px 16px 18px;background:var(--hc);color:var(--hct)}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;display:grid;place-items:center;background:rgba(255,255,255,.2);font-weight:700;font-size:16px}
.who{flex:1;min-width:0}
.title{font-weight:650;font-size:16px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.state{display:flex;align-items:center;gap:6px;font-size:12.5px;opacity:.92}.wait{font-size:12px;opacity:.92;margin-top:2px}
.dot{width:8px;height:8px;border-radius:50%;background:#98a2b3;box-shadow:0 0 0 2px rgba(255,255,255,.35)}
.dot.on{background:#32d583}
.iconbtn{flex:none;width:36px;height:36px;border:0;border-radius:10px;background:transparent;display:grid;place-items:center}
.iconbtn svg{width:20px;height:20px}
.head .iconbtn:hover{background:rgba(255,255,255,.16)}
.head :focus-visible{outline-color:var(--hct)}
.body{flex:1;min-height:0;display:flex;flex-direction:column;background:var(--soft)}
.chat{flex:1;min-height:0;display:flex;flex-direction:column}
.list{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px 8px;display:flex;flex-direction:column;gap:3px}
.msgs{display:flex;flex-direction:column;gap:3px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;align-self:flex-start}
.msg.me{align-self:flex-end;align-items:flex-end}
.msg.sys{align-self:center;align-items:center;max-width:90%;color:var(--mute);font-size:12.5px;text-align:center}
.author{font-size:12px;color:var(--mute);margin:8px 10px 2px}
.bubble{padding:9px 13px;border-radius:18px 18px 18px 5px;background:var(--bg);border:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.me .bubble{background:var(--hc);color:var(--hct);border-color:transparent;border-radius:18px 18px 5px 18px}
.sys .bubble{background:transparent;border:0;padding:4px}
.greet .bubble{border-radius:18px}
.st-pending .bubble{opacity:.7}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px;white-space:normal}
.choice{font:inherit;padding:5px 11px;border-radius:14px;border:1px solid var(--hc);background:var(--bg);color:var(--hc);cursor:pointer}
.choice:hover,.choice:focus-visible{background:var(--hc);color:var(--hct)}
.st-failed .bubble{background:#fee4e2;color:#7a271a}
.meta{display:flex;align-items:center;gap:6px;margin:2px 8px 6px;font-size:11px;color:var(--mute)}
.st-failed .meta{color:var(--err)}
.linkbtn{border:0;background:none;padding:0;color:var(--err);font-size:11px;font-weight:600;text-decoration:underline}
.att{display:flex;align-items:center;gap:8px;color:inherit;text-decoration:none;margin:3px 0;max-width:240px}
.att svg{flex:none;width:18px;height:18px}
.att .fn{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;text-decoration:underline}
.att .sz{opacity:.75;font-size:12px;white-space:nowrap}
.att img{display:block;max-width:220px;max-height:180px;border-radius:10px;background:rgba(0,0,0,.04)}
.text+.att{margin-top:6px}
.earlier{align-self:center;margin:0 0 8px;border:1px solid var(--line);background:var(--bg);border-radius:999px;padding:4px 12px;font-size:12px;color:var(--mute)}
.typing{display:flex;align-items:center;gap:8px;margin:6px 2px;color:var(--mute);font-size:12.5px}
.dots{display:inline-flex;gap:3px;padding:9px 11px;background:var(--bg);border:1px solid var(--line);border-radius:14px}
.dots i{width:6px;height:6px;border-radius:50%;background:#98a2b3;animation:hw-dot 1.2s infinite ease-in-out}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes hw-dot{0%,60%,100%{transform:none;opacity:.5}30%{transform:translateY(-3px);opacity:1}}
.notice{display:flex;gap:8px;align-items:flex-start;margin:0 12px 8px;padding:8px 12px;border-radius:10px;background:#fff7e6;color:#7a4b00;font-size:12.5px}
.notice svg{flex:none;width:16px;height:16px;margin-top:1px}
.composer{display:flex;align-items:flex-end;gap:4px;padding:8px;border-top:1px solid var(--line);background:var(--bg)}
.composer textarea{flex:1;min-width:0;resize:none;border:0;outline:0;background:transparent;font:inherit;color:inherit;line-height:1.4;padding:8px 6px;max-height:140px}
.composer .iconbtn{color:var(--mute)}
.composer .iconbtn:hover{background:var(--soft);color:var(--ink)}
.send{flex:none;width:38px;height:38px;border:0;border-radius:50%;background:var(--hc);color:var(--hct);display:grid;place-items:center}
.send svg{width:18px;height:18px;margin-left:-2px}
.send:disabled{opacity:.45;cursor:default}
.form{flex:1;overflow-y:auto;padding:20px 18px;display:flex;flex-direction:column;gap:14px}
.intro{margin:0;padding:12px 14px;border-radius:14px;background:var(--bg);border:1px solid var(--line);white-space:pre-wrap}
.field{display:flex;flex-direction:column;gap:5px}
.field>span{font-size:13px;font-weight:600}
.field small{font-weight:400;color:var(--mute)}
.input{width:100%;padding:10px 12px;border:1px solid #d0d5dd;border-radius:10px;background:var(--bg);font:inherit;color:inherit}
textarea.input{resize:vertical;min-height:96px}
.input:focus{outline:2px solid var(--hc);outline-offset:-1px;border-color:transparent}
.input[aria-invalid=true]{border-color:var(--err)}
.check{display:flex;gap:10px;align-items:flex-start;font-size:13px;line-height:1.4;cursor:pointer}
.check input{flex:none;width:18px;height:18px;margin:1px 0 0;accent-color:var(--hc)}
.btn{border:0;border-radius:10px;padding:12px 16px;background:var(--hc);color:var(--hct);font-weight:650}
.btn:disabled{opacity:.6;cursor:default}
.sent{flex:1;display:flex;flex-direction:column;gap:12px;padding:24px 18px;overflow-y:auto}
.sent .ok{display:flex;align-items:center;gap:10px;font-weight:650}
.sent .ok svg{width:22px;height:22px;color:#039855}
.sent .note{color:var(--mute);font-size:13px}
.center{margin:auto;color:var(--mute)}
.error{padding:9px 16px;background:#fef3f2;border-top:1px solid #fecdca;color:var(--err);font-size:13px}
@media (max-width:480px){
.panel{inset:0;width:100%;max-width:none;height:100%;border-radius:0;animation:none}
.hw.open .launcher{display:none}
.input,.composer textarea{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.hw *{animation:none!important;transition:none!important}}
`;
