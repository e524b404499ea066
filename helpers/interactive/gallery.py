"""Kernel-free menus for the static page that swap precomputed images: the filter gallery (the
stand-in for the live kernel editor) and a general image switcher."""

from __future__ import annotations

from .. import filters


_GALLERY_JS = """<script>
(function(){
var root=document.getElementById(%(id)s); if(!root) return;
var D=%(data)s, sel=root.querySelector('select'), img=root.querySelector('img'),
    tab=root.querySelector('.k'), note=root.querySelector('.note');
function show(){var e=D[sel.value]; img.src=e.src; img.alt=e.alt; note.textContent=e.note;
  tab.innerHTML=e.k.map(function(r){return '<tr>'+r.map(function(v){return '<td>'+v+'</td>';}).join('')+'</tr>';}).join('');}
sel.addEventListener('change',show); show();
})();
</script>"""


def gallery_html(photo, names=None, uid="cnn-gallery", quality=80):
    """Kernel-free stand-in for the kernel editor on the static page: a menu of the named
    kernels; choosing one swaps in the photo precomputed under it (JPEG data URIs) and shows
    its weights. Returns ``IPython.display.HTML``."""
    import html as _html
    import json

    from IPython.display import HTML

    from ..fmt import fmt_number

    names = list(filters.KERNELS) if names is None else list(names)
    entries = {}
    for name in names:
        k = filters.kernel(name)
        px = filters.to_uint8(filters.apply(photo, k), k)
        entries[name] = {
            "src": filters.data_uri(px, "JPEG", quality),
            "alt": f"The photo filtered with the {name} kernel",
            "k": [[fmt_number(v, 3) for v in row] for row in k],
            "note": "weights sum to 0: |response| shown, scaled" if abs(k.sum()) < 1e-9
                    else "weights sum to 1: brightness kept, clipped to 0-255",
        }
    options = "".join(f'<option value="{_html.escape(n)}">{_html.escape(n)}</option>' for n in names)
    first = entries[names[0]]
    style = ("<style>#%s table.k td{border:1px solid rgba(128,128,128,.6);padding:1px 6px;"
             "text-align:right;font-family:ui-monospace,monospace}#%s table.k{border-collapse:collapse}"
             "</style>") % (uid, uid)
    body = (f'<div id="{uid}">{style}<label>kernel <select aria-label="kernel">{options}</select></label>'
            f'<div style="display:flex;gap:16px;align-items:flex-start;margin-top:6px">'
            f'<div><table class="k"></table><p class="note"></p></div>'
            f'<img src="{first["src"]}" alt="{_html.escape(first["alt"])}" width="300" height="300">'
            "</div></div>")
    return HTML(body + _GALLERY_JS % {"id": json.dumps(uid), "data": json.dumps(entries)})


_SWITCH_JS = """<script>
(function(){
var root=document.getElementById(%(id)s); if(!root) return;
var D=%(data)s, sel=root.querySelector('select'), img=root.querySelector('img'), cap=root.querySelector('.cap');
function show(){var e=D[sel.selectedIndex]; img.src=e.src; img.alt=e.alt; cap.textContent=e.cap;}
sel.addEventListener('change',show); show();
})();
</script>"""


def switcher_html(entries, label="show", uid="cnn-switch", size=300, quality=80):
    """A kernel-free menu that swaps precomputed images: entries are
    ``(option, uint8 pixels, caption, alt text)``. Returns ``IPython.display.HTML``."""
    import html as _html
    import json

    from IPython.display import HTML

    items = [{"src": filters.data_uri(px, "JPEG", quality), "cap": cap, "alt": alt}
             for _, px, cap, alt in entries]
    options = "".join(f"<option>{_html.escape(o)}</option>" for o, *_ in entries)
    first = items[0]
    body = (f'<div id="{uid}"><label>{_html.escape(label)} <select aria-label="{_html.escape(label)}">'
            f'{options}</select></label><p class="cap">{_html.escape(first["cap"])}</p>'
            f'<img src="{first["src"]}" alt="{_html.escape(first["alt"])}" width="{size}" '
            f'height="{size}" style="image-rendering:pixelated"></div>')
    return HTML(body + _SWITCH_JS % {"id": json.dumps(uid), "data": json.dumps(items)})
