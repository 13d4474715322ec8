import { checklistItem, DEFAULT_POLICY, SEVERITY_LABELS, Severity } from '@duban/domain';
import type { DispatchNotice, DispatchNoticeItem } from '@duban/read-models';

/** Everything printed comes from the read model; every piece of it passes through here. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' → '2026年11月26日' (GB/T 9704-2012: 成文日期 in Arabic numerals, year, month, day in full). */
export function chineseDate(localDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : localDate;
}

/** An instant's Asia/Shanghai calendar date as 'YYYY-MM-DD'. */
export function shanghaiDate(instant: string): string {
  return new Date(Date.parse(instant) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const SEVERITY_CLASS: Record<string, string> = { red: 'sev-red', yellow: 'sev-yellow', blue: 'sev-blue' };

function severityCell(severity: string | null): string {
  if (!severity) return '';
  const label = SEVERITY_LABELS[severity as Severity] ?? severity;
  return `<span class="sev ${SEVERITY_CLASS[severity] ?? ''}">${escapeHtml(label)}</span>`;
}

function categoryCell(code: string | null): string {
  if (!code) return '';
  const item = checklistItem(code);
  return item ? `${escapeHtml(code)} ${escapeHtml(item.name)}` : escapeHtml(code);
}

function placeCell(i: DispatchNoticeItem): string {
  const where = [i.townUnitName ?? i.townUnitId, i.village].filter(Boolean).join('');
  return [where ? escapeHtml(where) : '', i.household ? escapeHtml(i.household) : ''].filter(Boolean).join('<br>');
}

function deadlineCell(i: DispatchNoticeItem): string {
  const days = i.deadlineWorkdays ? `<br><span class="small">（${escapeHtml(i.deadlineWorkdays)}个工作日）</span>` : '';
  const capped = i.cappedByPhaseEnd ? '<br><span class="small">（以本阶段结束日为限）</span>' : '';
  return `${escapeHtml(chineseDate(i.dueDate))}前${days}${capped}`;
}

const STYLE = `
@page { size: A4 portrait; margin: 37mm 26mm 35mm 28mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", serif;
  font-size: 16pt; line-height: 28pt; }
.masthead { text-align: center; color: #c00; font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", "宋体", serif;
  font-size: 30pt; line-height: 40pt; letter-spacing: 2pt; margin: 0 0 14pt; }
.doc-no { text-align: center; margin: 0; }
.red-rule { border: 0; border-top: 2px solid #c00; margin: 4pt 0 24pt; }
h1 { text-align: center; font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimSun", "宋体", serif; font-weight: normal;
  font-size: 22pt; line-height: 32pt; margin: 0 0 18pt; letter-spacing: 4pt; }
p { margin: 0; text-align: justify; }
p.body { text-indent: 2em; }
.addressee { margin-bottom: 0; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-weight: normal; font-size: 16pt; margin: 8pt 0 0; text-indent: 2em; }
table.findings { width: 100%; border-collapse: collapse; margin: 8pt 0 10pt; font-size: 12pt; line-height: 18pt; }
table.findings th, table.findings td { border: 1px solid #000; padding: 3pt 4pt; vertical-align: top; }
table.findings th { font-family: "SimHei", "黑体", sans-serif; font-weight: normal; text-align: center; }
table.findings thead { display: table-header-group; }
table.findings tr { page-break-inside: avoid; break-inside: avoid; }
td.no, td.sev-cell { text-align: center; white-space: nowrap; }
td.due { white-space: nowrap; }
.sev { padding: 0 3pt; border: 1px solid currentColor; }
.sev-red { color: #c00; } .sev-yellow { color: #b8860b; } .sev-blue { color: #1f4e9c; }
.small { font-size: 10.5pt; }
.note { font-size: 12pt; line-height: 18pt; }
.signature { margin-top: 36pt; text-align: right; padding-right: 4em; page-break-inside: avoid; break-inside: avoid; }
.signature p { text-align: right; }
.footer { margin-top: 28pt; border-top: 1px solid #000; border-bottom: 1px solid #000; font-size: 12pt; line-height: 20pt;
  padding: 2pt 0.5em; page-break-inside: avoid; break-inside: avoid; }
.meta { margin-top: 6pt; font-size: 9pt; line-height: 12pt; color: #444; word-break: break-all; }
@media screen { body { max-width: 210mm; margin: 12mm auto; padding: 20mm 24mm; box-shadow: 0 0 6px #999; } }
`;

/**
 * 督办通知书 as a print-ready HTML page (A4, the layout of a county government notice: red masthead with the
 * issuing office, the document number, a red rule, the title, the addressed unit, the findings with their
 * deadlines, the standing instructions, the signer and date). Every piece of text is escaped.
 */
export function renderDispatchNotice(n: DispatchNotice): string {
  const office = n.signer.unitName ?? n.signer.unitId ?? '';
  const units = [...new Map(n.items.map((i) => [i.unitId, i.unitName ?? i.unitId])).values()];
  const claimDays = n.policy?.claimWithinWorkdays ?? DEFAULT_POLICY.claimWithinWorkdays;
  const cutoff = n.policy?.progressCutoff ?? DEFAULT_POLICY.progressCutoff;
  const issuedOn = shanghaiDate(n.issuedAt);
  const reassigned = n.items.filter((i) => i.kind === 'reassignment');
  const notes = [...new Set(n.items.map((i) => i.note).filter((x): x is string => !!x))];
  const amended = n.items.some((i) => i.amendedAfterIssue);
  const campaign = n.campaignName ? `「${escapeHtml(n.campaignName)}」` : '专项行动';

  const rows = n.items
    .map(
      (i, k) => `<tr>
  <td class="no">${k + 1}</td>
  <td>${placeCell(i)}</td>
  <td>${categoryCell(i.categoryCode)}</td>
  <td class="sev-cell">${severityCell(i.severity)}</td>
  <td>${escapeHtml(i.description)}</td>
  <td class="due">${deadlineCell(i)}</td>
</tr>`,
    )
    .join('\n');

  const reassignLines = reassigned
    .map(
      (i) =>
        `<p class="body">第${n.items.indexOf(i) + 1}项问题原交办${escapeHtml(i.fromUnitName ?? i.fromUnitId ?? '')}，${
          i.reason ? `因${escapeHtml(i.reason)}，` : ''
        }现改派你单位整改，原责任单位已签字事项记录不变。</p>`,
    )
    .join('\n');

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办通知书 ${escapeHtml(n.noticeNo)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="masthead">${escapeHtml(office)}</div>
<p class="doc-no">${escapeHtml(n.noticeNo)}</p>
<hr class="red-rule">
<h1>督办通知书</h1>
<p class="addressee">${units.map(escapeHtml).join('、')}：</p>
<p class="body">在${campaign}督查中发现你单位存在以下问题，现予交办，请按整改时限逐项整改到位。</p>
${reassignLines}
<table class="findings">
<thead><tr><th style="width:7%">序号</th><th style="width:17%">村/户</th><th style="width:19%">问题类别</th><th style="width:8%">等级</th><th>问题描述</th><th style="width:17%">整改时限</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>有关要求</h2>
<p class="body">一、请于收到本通知书后${escapeHtml(claimDays)}个工作日内在督办系统中认领，明确整改责任人，谁认领谁签字谁负责。</p>
<p class="body">二、请逐项制定整改方案（一题一策），每个工作日${escapeHtml(cutoff)}前报送整改进展。</p>
<p class="body">三、整改完成后由整改责任人签字确认并上传佐证材料，经验收合格后销号。确需延期的，须在整改时限前提出申请。</p>
<p class="body">四、逾期未整改的，将依次予以通报、约谈，直至问责。</p>
${notes.map((x) => `<p class="body note">交办要求：${escapeHtml(x)}</p>`).join('\n')}
<div class="signature">
<p>签发人：${escapeHtml(n.signer.name)}</p>
<p>${escapeHtml(office)}</p>
<p>${escapeHtml(chineseDate(issuedOn))}</p>
</div>
<div class="footer">
<p>${escapeHtml(office)}　　　　　　　　${escapeHtml(chineseDate(issuedOn))}印发</p>
</div>
${amended ? '<p class="meta">注：本通知书印发后，相关问题信息已更正，以问题台账为准。</p>' : ''}
<p class="meta">文号 ${escapeHtml(n.noticeNo)}；问题编号 ${n.items.map((i) => escapeHtml(i.findingId)).join('、')}。可在督办系统中按文号和问题编号核对审计轨迹。</p>
</body>
</html>
`;
}
