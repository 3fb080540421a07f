//! Inline style sheets. Kept as constants so the documents stay self-contained: no
//! stylesheet link, no web font, nothing fetched when the report is opened or printed.

/// Styles shared by both documents: system fonts, print colour, page rules.
///
/// `@page` gives margins but leaves the paper size to the printer (`size: auto`), so
/// the same file prints on A4 and on Letter: the content is fluid and fits the narrower
/// printable width of the two (A4, 180 mm between 15 mm margins).
pub(super) const BASE: &str = r#"
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans",sans-serif;
 color:#1a1a1a;background:#fff;margin:0;line-height:1.4}
main{max-width:190mm;margin:0 auto;padding:10mm 8mm}
h1,h2,h3{line-height:1.2;break-after:avoid;page-break-after:avoid}
p,li{orphans:3;widows:3}
@page{size:auto;margin:15mm 15mm 18mm 15mm}
@media print{main{max-width:none;padding:0}}
"#;

/// Clinician report styles: dense tables, badges, finding blocks that do not split.
pub(super) const CLINICIAN: &str = r#"
body{font-size:9.5pt}
h1{font-size:16pt;margin:0 0 2mm}
h2{font-size:12.5pt;margin:7mm 0 2mm;padding-bottom:1mm;border-bottom:2px solid #1f4e79;color:#1f4e79}
h3{font-size:10.5pt;margin:4mm 0 1.5mm}
.sub{color:#555;font-size:8.5pt}
.muted{color:#555}
.small{font-size:8pt}
header.report{border-bottom:3px solid #1f4e79;padding-bottom:2mm;margin-bottom:3mm}
table{border-collapse:collapse;width:100%;margin:1.5mm 0 3mm}
th,td{border:1px solid #c8ccd2;padding:1mm 1.5mm;text-align:left;vertical-align:top}
th{background:#e8edf3;font-weight:600}
thead{display:table-header-group}
tr,img,svg,.badge{break-inside:avoid;page-break-inside:avoid}
table.meta td,table.meta th{border:none;padding:.4mm 2mm .4mm 0}
table.meta th{background:none;color:#555;font-weight:600;white-space:nowrap;width:1%}
.cols{display:flex;gap:6mm}
.cols>div{flex:1;min-width:0}
.summary{border:2px solid #1f4e79;background:#f3f7fb;padding:2.5mm 4mm;margin:3mm 0}
.summary li{break-inside:avoid}
.summary h2{border:none;margin-top:0;padding:0}
.summary ol{margin:1mm 0 2mm;padding-left:6mm}
.summary li{margin:.6mm 0}
.conclusion{font-weight:600}
.none{font-weight:700;font-size:11pt;color:#1a1a1a;border-left:4px solid #888;padding:1.5mm 3mm;background:#f4f4f4}
.finding{border:1px solid #c8ccd2;border-left:4px solid #1f4e79;padding:2mm 3mm;margin:0 0 3mm}
.finding>h3,.finding>p,.finding>table.meta{break-inside:avoid;break-after:avoid}
ul.offlabel{margin:1mm 0 2mm;padding-left:4mm;font-size:8pt}
ul.offlabel li{break-inside:avoid;margin:.3mm 0}
.finding.t2{border-left-color:#b7791f}
.finding h3{margin:0 0 1mm}
.finding table,table.recs,table.alerts,table.genes{font-size:8.5pt}
.badge{display:inline-block;padding:0 1.5mm;border-radius:2mm;font-size:7.5pt;font-weight:700;
 border:1px solid;white-space:nowrap;vertical-align:1px}
.on{background:#e3f4e6;border-color:#2f7d3a;color:#1d5626}
.off{background:#fdf1dc;border-color:#b7791f;color:#7a4d0c}
.res{background:#fbe4e4;border-color:#b42318;color:#8a1a12}
.tier{background:#1f4e79;border-color:#1f4e79;color:#fff}
.tier.t2{background:#b7791f;border-color:#b7791f}
.tier.t3{background:#fff;border-color:#777;color:#444}
.med{background:#fbe4e4;border-color:#b42318;color:#8a1a12}
.vus{border:1px dashed #888;padding:2mm 3mm;background:#fafafa}
.vus table{font-size:7.5pt}
.vus td,.vus th{padding:.4mm 1mm}
ul.vuslist{columns:3;column-gap:5mm;margin:1mm 0;padding:0;list-style:none;font-size:7.5pt}
ul.vuslist li{break-inside:avoid;margin:0 0 .3mm}
.chart{margin:1mm 0 3mm}
.chart svg{max-width:100%;height:auto}
.caveat{color:#7a4d0c}
.germline{border-left:3px solid #7a4d0c;padding-left:6px}
.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:8pt}
.wrap{overflow-wrap:anywhere;word-break:break-word}
ul.plain{margin:1mm 0;padding-left:5mm}
.signoff{margin-top:6mm;border:1px solid #1a1a1a;padding:3mm 4mm;break-inside:avoid}
.signoff .line{display:flex;gap:3mm;margin:6mm 0 1mm}
.signoff .line span{white-space:nowrap}
.signoff .line i{flex:1;border-bottom:1px solid #1a1a1a}
footer{margin-top:5mm;color:#555;font-size:7.5pt}
"#;

/// Patient summary styles: large type, short lines, generous spacing.
pub(super) const PATIENT: &str = r#"
body{font-size:12.5pt;line-height:1.55}
main{max-width:165mm}
h1{font-size:20pt;margin:0 0 3mm;color:#1f4e79}
h2{font-size:15pt;margin:8mm 0 2mm;color:#1f4e79}
.intro{background:#f3f7fb;border-left:5px solid #1f4e79;padding:3mm 4mm}
.item{margin:3mm 0;padding:2.5mm 4mm;border:1px solid #c8ccd2;border-radius:2mm;break-inside:avoid}
.item b{font-size:13pt}
.kind{display:block;color:#1f4e79;font-weight:600}
ul.check{list-style:none;padding-left:0}
ul.check li{margin:2mm 0;padding-left:9mm;position:relative}
ul.check li::before{content:"";position:absolute;left:0;top:1.2mm;width:4.5mm;height:4.5mm;border:1.5px solid #1a1a1a}
footer{margin-top:8mm;color:#555;font-size:10pt}
"#;
