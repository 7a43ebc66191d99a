/* The HTML output: one self-contained page around the map's SVG (render_cairo.c writes it).
 *
 * Nothing in the page asks the network for anything (its Content-Security-Policy forbids it):
 * the SVG is inline (its glyphs are outlines, its photos data: URIs), the model is inline as
 * JSON for the cards' details, and the script and styles are the small ones below. The script
 * fits the map to the window, zooms and pans (wheel, pinch, drag, keyboard), makes each card
 * focusable and shows its details on hover, focus and tap. The page's chrome follows the
 * reader's light or dark preference; the map keeps its own colours. Printed, the map fills the
 * width of landscape pages. */
#include <string.h>

#include "common.h"
#include "model/model.h"

static const char page_head[] = "<!DOCTYPE html>\n<html lang=\"";
static const char page_meta[] =
    "\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:\">\n"
    "<meta name=\"generator\" content=\"journeymap\">\n<title>";
/* The page's chrome; the map (#jm-map) keeps the SVG's colours in every scheme. */
static const char page_style[] =
    "</title>\n<style>\n"
    ":root{color-scheme:light dark;--bg:#eef1f5;--fg:#1f2937;--panel:#fff;--line:#cbd5e1;"
    "--muted:#64748b;--accent:#2563eb}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#111827;--fg:#e5e7eb;--panel:#1f2937;"
    "--line:#374151;--muted:#9ca3af;--accent:#60a5fa}}\n"
    "html,body{margin:0;height:100%;background:var(--bg);color:var(--fg);"
    "font:14px/1.4 system-ui,sans-serif}\n"
    "body{display:flex;flex-direction:column}\n"
    "header{display:flex;gap:.5em;align-items:center;padding:.4em .8em;"
    "border-bottom:1px solid var(--line);background:var(--panel)}\n"
    "header h1{font-size:1em;margin:0;flex:1;overflow:hidden;text-overflow:ellipsis;"
    "white-space:nowrap}\n"
    "header button{font:inherit;min-width:2.2em;padding:.15em .5em;border:1px solid var(--line);"
    "border-radius:4px;background:var(--panel);color:var(--fg);cursor:pointer}\n"
    ".jm-hint{color:var(--muted);font-size:.85em}\n"
    "#jm-main{flex:1;display:flex;min-height:0}\n"
    "#jm-view{flex:1;position:relative;overflow:hidden;touch-action:none;cursor:grab;outline:none}"
    "\n"
    "#jm-view:focus-visible{box-shadow:inset 0 0 0 2px var(--accent)}\n"
    "#jm-map{position:absolute;left:0;top:0;transform-origin:0 0;background:#fff;"
    "box-shadow:0 1px 6px rgba(0,0,0,.25)}\n"
    "#jm-map svg{display:block}\n"
    "#jm-map .jm-card{cursor:pointer}\n"
    "#jm-map .jm-card:focus{outline:none}\n"
    "#jm-map .jm-card:focus>path:first-of-type,#jm-map .jm-card:focus>a>path:first-of-type,"
    "#jm-map .jm-card.jm-active>path:first-of-type,"
    "#jm-map .jm-card.jm-active>a>path:first-of-type{stroke:#2563eb;stroke-width:3}\n"
    "#jm-details{width:22em;max-width:40%;overflow:auto;padding:.8em 1em;"
    "border-left:1px solid var(--line);background:var(--panel)}\n"
    "#jm-details h2{font-size:1.1em;margin:0 0 .3em}\n"
    "#jm-details h3{font-size:.95em;margin:.8em 0 .2em}\n"
    "#jm-details p,#jm-details ul{margin:.2em 0}\n"
    "#jm-details .jm-meta{color:var(--muted)}\n"
    "#jm-details a{color:var(--accent)}\n"
    "@media (max-width:700px){#jm-main{flex-direction:column}"
    "#jm-details{width:auto;max-width:none;max-height:35%;border-left:0;"
    "border-top:1px solid var(--line)}}\n"
    "@media print{@page{size:landscape;margin:8mm}\n"
    "html,body{height:auto;background:#fff;display:block}\n"
    "header,#jm-details{display:none}\n"
    "#jm-main,#jm-view{display:block;overflow:visible;height:auto}\n"
    "#jm-map{position:static;transform:none!important;box-shadow:none}\n"
    "#jm-map svg{width:100%;height:auto}}\n"
    "</style>\n</head>\n<body>\n<header><h1>";
/* The page's words, in the map's language (English unless it is Russian, as on the map). */
typedef struct html_words {
    const char *untitled, *hint, *zoom_out, *fit_label, *fit, *zoom_in, *view_label, *placeholder;
    const char *script; /* a JSON object: the script's words */
} html_words;

static const html_words words_en = {
    "Customer journey map",
    "wheel or pinch to zoom, drag to pan, Tab to the cards",
    "Zoom out",
    "Fit the map to the window",
    "Fit",
    "Zoom in",
    "Journey map (keys: + and \xE2\x88\x92 zoom, 0 fits, arrows pan)",
    "Hover over, tap or Tab to a card to see its details.",
    "{\"description\":\"Description\",\"action\":\"Action\",\"thought\":\"Thought\","
    "\"pain\":\"Pain\",\"opportunity\":\"Opportunity\",\"target\":\"target\","
    "\"details\":\"Details\",\"before\":\"Before\",\"after\":\"After\","
    "\"owner\":\"Owner\",\"notes\":\"Notes\"}",
};

static const html_words words_ru = {
    "Карта пути клиента",
    "колесо или щипок \xE2\x80\x94 масштаб, перетаскивание \xE2\x80\x94 сдвиг, Tab "
    "\xE2\x80\x94 к карточкам",
    "Уменьшить",
    "Вписать карту в окно",
    "Вписать",
    "Увеличить",
    "Карта пути клиента (клавиши: + и \xE2\x88\x92 масштаб, 0 \xE2\x80\x94 вписать, "
    "стрелки \xE2\x80\x94 сдвиг)",
    "Наведите указатель на карточку, коснитесь её или перейдите к ней клавишей Tab, чтобы "
    "увидеть подробности.",
    "{\"description\":\"Описание\",\"action\":\"Действие\",\"thought\":\"Мысль\","
    "\"pain\":\"Боль\",\"opportunity\":\"Возможность\",\"target\":\"цель\","
    "\"details\":\"Подробности\",\"before\":\"До\",\"after\":\"После\","
    "\"owner\":\"Ответственный\",\"notes\":\"Заметки\"}",
};

/* Hand-written: fit, zoom and pan, and the cards' details from the model. */
static const char page_script[] =
    "</script>\n<script>\n"
    "(function(){'use strict';\n"
    "var view=document.getElementById('jm-view'),map=document.getElementById('jm-map'),"
    "svg=map.querySelector('svg'),panel=document.getElementById('jm-details'),"
    "model=JSON.parse(document.getElementById('jm-model').textContent),"
    "W_=JSON.parse(document.getElementById('jm-words').textContent);\n"
    "var W=svg.getBoundingClientRect().width,H=svg.getBoundingClientRect().height,"
    "s=1,x=0,y=0,fitted=true;\n"
    "function apply(){map.style.transform='translate('+x+'px,'+y+'px) scale('+s+')';"
    "map.dataset.scale=s;}\n"
    "function fit(){var r=view.getBoundingClientRect();"
    "s=Math.min((r.width-16)/W,(r.height-16)/H);if(!(s>0))s=1;"
    "x=(r.width-W*s)/2;y=(r.height-H*s)/2;fitted=true;apply();}\n"
    "function zoom(f,cx,cy){var r=view.getBoundingClientRect();"
    "if(cx===undefined){cx=r.width/2;cy=r.height/2;}"
    "var n=Math.min(Math.max(s*f,0.05),20);x=cx-(cx-x)*n/s;y=cy-(cy-y)*n/s;s=n;"
    "fitted=false;apply();}\n"
    "function pan(dx,dy){x+=dx;y+=dy;fitted=false;apply();}\n"
    "view.addEventListener('wheel',function(e){e.preventDefault();"
    "var r=view.getBoundingClientRect();"
    "zoom(Math.exp(-e.deltaY*(e.deltaMode?0.05:0.0015)),e.clientX-r.left,e.clientY-r.top);},"
    "{passive:false});\n"
    "var pts={},moved=0,last=null;\n"
    "function mid(){var k=Object.keys(pts),a=pts[k[0]],b=pts[k[1]];"
    "return{x:(a.x+b.x)/2,y:(a.y+b.y)/2,d:Math.hypot(a.x-b.x,a.y-b.y)};}\n"
    "view.addEventListener('pointerdown',function(e){"
    "pts[e.pointerId]={x:e.clientX,y:e.clientY};moved=0;"
    "last=Object.keys(pts).length==2?mid():null;});\n"
    "view.addEventListener('pointermove',function(e){var p=pts[e.pointerId];if(!p)return;"
    "var n=Object.keys(pts).length,dx=e.clientX-p.x,dy=e.clientY-p.y;"
    "p.x=e.clientX;p.y=e.clientY;moved+=Math.abs(dx)+Math.abs(dy);"
    "if(n==1&&moved>4){if(!view.hasPointerCapture(e.pointerId))"
    "view.setPointerCapture(e.pointerId);pan(dx,dy);}"
    "else if(n==2){var m=mid(),r=view.getBoundingClientRect();"
    "if(last&&last.d>0){zoom(m.d/last.d,m.x-r.left,m.y-r.top);pan(m.x-last.x,m.y-last.y);}"
    "last=m;}});\n"
    "function up(e){delete pts[e.pointerId];last=null;}\n"
    "view.addEventListener('pointerup',up);view.addEventListener('pointercancel',up);\n"
    "view.addEventListener('keydown',function(e){var k=e.key;"
    "if(k=='+'||k=='=')zoom(1.25);else if(k=='-'||k=='_')zoom(0.8);else if(k=='0')fit();"
    "else if(k=='ArrowLeft')pan(60,0);else if(k=='ArrowRight')pan(-60,0);"
    "else if(k=='ArrowUp')pan(0,60);else if(k=='ArrowDown')pan(0,-60);else return;"
    "e.preventDefault();});\n"
    "document.getElementById('jm-in').onclick=function(){zoom(1.25);};\n"
    "document.getElementById('jm-out').onclick=function(){zoom(0.8);};\n"
    "document.getElementById('jm-fit').onclick=fit;\n"
    "window.addEventListener('resize',function(){if(fitted)fit();});\n"
    /* the model object a JSON pointer names */
    "function at(ref){var o=model;ref.split('/').slice(1).forEach(function(k){"
    "k=k.replace(/~1/g,'/').replace(/~0/g,'~');o=o==null?o:o[k];});return o;}\n"
    "function el(tag,text,cls){var e=document.createElement(tag);"
    "if(text!=null)e.textContent=text;if(cls)e.className=cls;return e;}\n"
    "function num(m){var v=m.value+(m.unit?' '+m.unit:'');"
    "if(m.target!=null)v+=' ('+W_.target+' '+m.target+(m.unit?' '+m.unit:'')+')';"
    "return m.name+': '+v;}\n"
    "function part(box,title,o){if(!o)return;var ks=['description','action','thought','pain'],"
    "any=false,h=el('h3',title);"
    "box.appendChild(h);ks.forEach(function(k){if(o[k]){any=true;"
    "var p=el('p');p.appendChild(el('strong',W_[k]+': '));"
    "p.appendChild(document.createTextNode(o[k]));box.appendChild(p);}});"
    "var ops=o.opportunity==null?[]:[].concat(o.opportunity);"
    "if(ops.length){any=true;var p=el('p');p.appendChild(el('strong',W_.opportunity+': '));"
    "p.appendChild(document.createTextNode(ops.join('; ')));box.appendChild(p);}"
    "if(o.metrics&&o.metrics.length){any=true;var u=el('ul');"
    "o.metrics.forEach(function(m){u.appendChild(el('li',num(m)));});box.appendChild(u);}"
    "if(!any)box.removeChild(h);}\n"
    "function show(card){var ref=card.getAttribute('data-ref'),t=at(ref);if(!t)return;"
    "var act=map.querySelector('.jm-active');if(act)act.classList.remove('jm-active');"
    "card.classList.add('jm-active');panel.textContent='';"
    "panel.appendChild(el('h2',t.name));"
    "var st=(model.stages||[]).filter(function(s){return s.id==t.stage;})[0];"
    "var meta=[st?st.name:t.stage,t.channel].filter(Boolean).join(' \\u00b7 ');"
    "if(meta)panel.appendChild(el('p',meta,'jm-meta'));"
    "part(panel,W_.details,t);part(panel,W_.before,t.before);part(panel,W_.after,t.after);"
    "if(t.owner){var p=el('p');p.appendChild(el('strong',W_.owner+': '));"
    "p.appendChild(document.createTextNode(t.owner));panel.appendChild(p);}"
    "if(t.notes){panel.appendChild(el('h3',W_.notes));panel.appendChild(el('p',t.notes));}"
    "if(t.url){var a=el('a',t.url);a.href=t.url;a.rel='noopener noreferrer';"
    "var p=el('p');p.appendChild(a);panel.appendChild(p);}}\n"
    /* a card that gets the focus is brought into view */
    "function reveal(card){var r=card.getBoundingClientRect(),v=view.getBoundingClientRect(),"
    "dx=0,dy=0;if(r.left<v.left)dx=v.left-r.left+20;else if(r.right>v.right)"
    "dx=v.right-r.right-20;if(r.top<v.top)dy=v.top-r.top+20;else if(r.bottom>v.bottom)"
    "dy=v.bottom-r.bottom-20;if(dx||dy)pan(dx,dy);}\n"
    "Array.prototype.forEach.call(map.querySelectorAll('g.jm-card'),function(c){"
    "c.setAttribute('tabindex','0');c.setAttribute('role','button');"
    "c.setAttribute('aria-label',(at(c.getAttribute('data-ref'))||{}).name||'');"
    "var a=c.querySelector('a');if(a)a.setAttribute('tabindex','-1');"
    "c.addEventListener('mouseenter',function(){show(c);});"
    "c.addEventListener('focus',function(){show(c);reveal(c);});"
    "c.addEventListener('click',function(e){if(moved>4){e.preventDefault();return;}"
    "show(c);});});\n"
    "fit();})();\n</script>\n</body>\n</html>\n";

/* A BCP 47 tag: letters, digits and hyphens. */
static bool lang_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
            return false;
    return n > 0 && n <= 35;
}

/* Appends the page: title and lang (NULL: none) for its head, svg (svg_len bytes, a whole SVG
 * document) inline, model_json (the model as jm_map_to_json writes it) for the cards'
 * details. False when memory ran out. */
static bool html_page(jm_buf *out, const char *title, const char *lang, const char *svg,
                      size_t svg_len, const char *model_json)
{
    const html_words *w = lang && strncmp(lang, "ru", 2) == 0 ? &words_ru : &words_en;
    title = title && *title ? title : w->untitled;
    jm_buf_puts(out, page_head);
    jm_buf_puts(out, lang && lang_ok(lang) ? lang : "en");
    jm_buf_puts(out, page_meta);
    jm_buf_xml(out, title);
    jm_buf_puts(out, page_style);
    jm_buf_xml(out, title);
    const char *parts[] = {
        "</h1><span class=\"jm-hint\">",
        w->hint,
        "</span><button type=\"button\" id=\"jm-out\" aria-label=\"",
        w->zoom_out,
        "\">\xE2\x88\x92</button><button type=\"button\" id=\"jm-fit\" aria-label=\"",
        w->fit_label,
        "\">",
        w->fit,
        "</button><button type=\"button\" id=\"jm-in\" aria-label=\"",
        w->zoom_in,
        "\">+</button></header>\n<div id=\"jm-main\"><div id=\"jm-view\" tabindex=\"0\" "
        "role=\"region\" aria-label=\"",
        w->view_label,
        "\"><div id=\"jm-map\">\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        jm_buf_puts(out, parts[i]);
    /* the SVG without its XML declaration, which HTML does not take */
    const char *start = svg, *end = svg + svg_len;
    if (svg_len > 5 && memcmp(svg, "<?xml", 5) == 0) {
        const char *q = memchr(svg, '>', svg_len);
        if (q)
            start = q + 1;
        while (start < end && (*start == '\n' || *start == '\r'))
            start++;
    }
    jm_buf_append(out, start, (size_t)(end - start));
    jm_buf_puts(out, "</div></div>\n<aside id=\"jm-details\" aria-live=\"polite\">"
                     "<p class=\"jm-meta\">");
    jm_buf_puts(out, w->placeholder);
    jm_buf_puts(out, "</p></aside></div>\n<script type=\"application/json\" id=\"jm-words\">");
    jm_buf_puts(out, w->script);
    jm_buf_puts(out, "</script>\n<script type=\"application/json\" id=\"jm-model\">");
    /* JSON in a script element: '<' escaped so that no "</script>" can end it early */
    for (const char *p = model_json; *p; p++) {
        if (*p == '<')
            jm_buf_puts(out, "\\u003c");
        else
            jm_buf_append(out, p, 1);
    }
    jm_buf_puts(out, page_script);
    return !out->failed;
}

static bool html_check(const jm_render_job *job, jm_diags *diags)
{
    return !jm_output_svg.check || jm_output_svg.check(job, diags);
}

/* The SVG as svg.c writes it, then the page around it. */
static int html_write(const jm_render_job *job, jm_buf *out, jm_diags *diags)
{
    jm_buf svg = {0};
    if (jm_output_svg.write(job, &svg, diags) != 0) {
        jm_buf_free(&svg);
        return -1;
    }
    const jm_map *map = job->layout->map;
    char *model = map ? jm_map_to_json(map) : NULL;
    bool ok =
        model && !svg.failed && html_page(out, map->title, map->lang, svg.data, svg.len, model);
    jm_free(model);
    jm_buf_free(&svg);
    return ok ? 0 : jm_render_cannot_write(job, "out of memory", diags);
}

/* The SVG's options and photos (data: URIs, as the page may ask for nothing). */
const jm_output_format jm_output_html = {
    .format = JM_FORMAT_HTML,
    .name = "HTML",
    .extension = ".html",
    .also = ".htm",
    .draws = true,
    .photos = {.embed_jpeg = true, .embed_png = true},
    .check = html_check,
    .write = html_write,
};
