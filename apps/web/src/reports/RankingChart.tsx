import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Only the bar chart, its grid and tooltip, drawn as SVG: a fraction of the full ECharts bundle.
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

/** 月讲评: each unit's score, best first, the commended in red and the one named last in grey. */
export function RankingChart({ units }: { units: Array<{ unitName: string; score: number; commended: boolean; namedLast: boolean }> }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    const rows = [...units].sort((a, b) => a.score - b.score);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis' },
      grid: { left: 90, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', max: 100 },
      yAxis: { type: 'category', data: rows.map((r) => r.unitName) },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => ({ value: r.score, itemStyle: { color: r.commended ? '#b71c1c' : r.namedLast ? '#9e9e9e' : '#1677ff' } })),
          label: { show: true, position: 'right' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [units]);
  return <div ref={el} role="img" aria-label="月度讲评得分排名图" style={{ width: '100%', height: Math.max(240, units.length * 28) }} />;
}
