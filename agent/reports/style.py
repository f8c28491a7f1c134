"""The HTML report's one stylesheet: system fonts only, no imports, prints on A4."""

CSS = """
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f4f6fb; --card: #ffffff;
  --accent: #4f46e5; --warn: #b45309; --warn-bg: #fffbeb; --pro: #059669; --con: #dc2626; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: var(--bg); color: var(--ink); line-height: 1.5;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans",
  "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 0 28px 40px; }
h1, h2, h3 { line-height: 1.2; margin: 0; }
h2 { font-size: 20px; margin: 0 0 14px; }
h3 { font-size: 16px; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; color: #475569;
  background: #f1f5f9; padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
.hero { background: linear-gradient(120deg, #1e1b4b 0%, #312e81 55%, #4338ca 100%);
  color: #fff; padding: 34px 0 30px; margin-bottom: 26px; }
.hero .inner { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
.eyebrow { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; opacity: .75; }
.hero h1 { font-size: 30px; margin: 6px 0 8px; }
.hero .meta { opacity: .85; font-size: 13.5px; margin: 0; }
.kpis { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin-top: 22px; }
.kpi { background: rgba(255, 255, 255, .1); border: 1px solid rgba(255, 255, 255, .18);
  border-radius: 12px; padding: 12px 14px; }
.kpi b { display: block; font-size: 26px; line-height: 1.1; }
.kpi span { font-size: 12.5px; opacity: .85; }
section.card { background: var(--card); border-radius: 14px; padding: 22px 24px;
  margin-bottom: 20px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06),
  0 4px 16px rgba(15, 23, 42, .05); border: 1px solid #e8ecf4; }
.lead { color: var(--muted); margin: -8px 0 14px; font-size: 13.5px; }
.grid2 { display: grid; grid-template-columns: 1.05fr 1fr; gap: 24px; align-items: center; }
.chart { width: 100%; height: auto; display: block; }
.chart.bars { max-width: 740px; }
.chart text { font-family: inherit; }
.chart .axis { font-size: 13.5px; fill: #334155; font-weight: 600; }
.chart .tick { font-size: 10.5px; fill: var(--muted); }
.chart .dot { font-size: 11.5px; font-weight: 700; text-anchor: middle; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th { text-align: left; font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); font-weight: 600; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
.pill { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px;
  padding: 2px 10px 2px 3px; font-size: 12.5px; white-space: nowrap; }
.pill b { display: inline-block; min-width: 22px; height: 22px; border-radius: 50%;
  text-align: center; line-height: 22px; font-size: 12.5px; background: rgba(255,255,255,.35); }
.l0 { background: #f1f5f9; color: #64748b; border: 1px dashed #cbd5e1; }
.l1 { background: #dbeafe; color: #1e3a8a; } .l2 { background: #93c5fd; color: #1e3a8a; }
.l3 { background: #3b82f6; color: #fff; } .l4 { background: #1d4ed8; color: #fff; }
.l5 { background: #1e3a8a; color: #fff; }
.conf { display: inline-block; width: 70px; height: 7px; border-radius: 4px;
  background: #e2e8f0; vertical-align: middle; margin-right: 6px; overflow: hidden; }
.conf i { display: block; height: 100%; background: var(--accent); border-radius: 4px; }
.small { font-size: 12.5px; color: var(--muted); }
.heat td, .heat th { text-align: center; }
.heat td:first-child, .heat th:first-child { text-align: left; }
.heat td { vertical-align: middle; }
.heat td.cell { font-weight: 700; border: 2px solid #fff; border-radius: 6px; }
.heat tr.pooled td { border-top: 2px solid #cbd5e1; font-weight: 700; }
.flag { color: var(--con); font-weight: 700; }
.chips { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 0; padding: 0;
  list-style: none; }
.chip { border-radius: 999px; padding: 4px 12px; font-size: 12.5px; border: 1px solid var(--line); }
.chip.ok { background: #ecfdf5; border-color: #a7f3d0; color: #065f46; }
.chip.no { background: #fef2f2; border-color: #fecaca; color: #991b1b; }
.warnings { list-style: none; padding: 0; margin: 0 0 20px; }
.warnings li { background: var(--warn-bg); border: 1px solid #fde68a; border-left: 4px solid
  #f59e0b; border-radius: 10px; padding: 10px 14px; margin-bottom: 8px; font-size: 13.5px; }
.warnings b { color: var(--warn); }
.quotes { list-style: none; padding: 0; margin: 8px 0; }
.quote { border-left: 4px solid var(--pro); background: #f8fafc; border-radius: 0 10px 10px 0;
  padding: 8px 14px; margin: 0 0 8px; break-inside: avoid; }
.quote.con { border-left-color: var(--con); }
.quote.claim { border-left-color: #cbd5e1; opacity: .85; }
.quote q { font-size: 14px; }
.quote .who { display: block; font-size: 12px; color: var(--muted); margin-top: 3px; }
.versus { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.dis { border: 1px solid var(--line); border-radius: 12px; padding: 14px 16px;
  margin-bottom: 12px; break-inside: avoid; }
.roadmap { list-style: none; padding: 0; margin: 0; counter-reset: step; }
.roadmap li { display: grid; grid-template-columns: 42px 1fr; gap: 12px; padding: 12px 0;
  border-bottom: 1px solid var(--line); break-inside: avoid; }
.roadmap li:last-child { border-bottom: 0; }
.prio { width: 34px; height: 34px; border-radius: 50%; background: var(--accent); color: #fff;
  font-weight: 700; display: flex; align-items: center; justify-content: center; }
.roadmap .tag { font-size: 12px; font-weight: 600; color: var(--accent); }
.roadmap p { margin: 3px 0; }
.mistake { background: #fff7ed; border: 1px solid #fed7aa; border-radius: 12px;
  padding: 12px 16px; margin-top: 14px; break-inside: avoid; }
.mistake h3 { color: #9a3412; }
.dim { border-top: 1px solid var(--line); padding-top: 16px; margin-top: 16px;
  break-inside: avoid-page; }
.dim:first-of-type { border-top: 0; margin-top: 0; padding-top: 0; }
.dim header { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.cites { padding-left: 18px; margin: 6px 0; font-size: 13px; }
.cites li { margin-bottom: 4px; }
.summary { list-style: none; padding: 0; margin: 0; }
.summary li { display: grid; grid-template-columns: 110px 1fr; gap: 12px; padding: 7px 0;
  border-bottom: 1px solid var(--line); font-size: 14px; }
.summary li:last-child { border-bottom: 0; }
.summary b { color: var(--accent); }
.requests td:first-child { width: 18%; }
.requests td:last-child { width: 22%; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; padding: 10px 0 30px; }
@page { size: A4; margin: 14mm 12mm; }
@media (max-width: 820px) {
  .grid2, .versus { grid-template-columns: 1fr; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
}
/* Print (and the PDF, which is Chromium printing this page): A4 is about 700 CSS px
   wide, narrower than the screen breakpoint above, so the layout is set again here
   (after it, to win). Long cards may flow across pages; what must not be cut is kept
   whole: a dimension, a quote, a roadmap step, a disagreement, a table row. */
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  .hero { padding: 16px 0; margin-bottom: 12px; break-inside: avoid; }
  .hero .inner { padding: 0 6mm; }
  .kpis { grid-template-columns: repeat(5, 1fr); gap: 8px; }
  .kpi { padding: 8px 10px; }
  .kpi b { font-size: 20px; }
  .grid2 { grid-template-columns: 1fr; gap: 10px; }
  .grid2 .chart { max-width: 330px; margin: 0 auto; }
  .versus { grid-template-columns: 1fr 1fr; }
  section.card { box-shadow: none; border: 1px solid #d7dce5; padding: 16px 18px;
    margin-bottom: 14px; break-inside: auto; }
  section.card.keep { break-inside: avoid; }
  h2, h3, .lead, .dim header { break-after: avoid; }
  .dim, .quote, .dis, .roadmap li, .mistake, .summary li, .requests tr, tr, .kpi,
  .chart, .warnings li { break-inside: avoid; }
  .dim:first-of-type { border-top: 0; }
}
"""
