import {
  CHECKLIST_AREAS,
  CHECKLIST_ITEMS,
  checklistArea,
  checklistItem,
  checklistItemsOfArea,
} from './checklist';

const HAN = /[\u4e00-\u9fff]/;

describe('inspection checklist (seed 003, section 三)', () => {
  it('has four areas in order', () => {
    expect(CHECKLIST_AREAS.map((a) => [a.code, a.name])).toEqual([
      ['1', '责任落实'],
      ['2', '政策落实'],
      ['3', '工作落实'],
      ['4', '巩固成效'],
    ]);
    for (const area of CHECKLIST_AREAS) {
      expect(area.summary).toMatch(/^主要排查/);
      expect(area.nameEn.trim()).not.toBe('');
    }
  });

  it('has 22 items: 5 / 5 / 7 / 5', () => {
    expect(CHECKLIST_ITEMS).toHaveLength(22);
    expect(CHECKLIST_AREAS.map((a) => checklistItemsOfArea(a.code).length)).toEqual([5, 5, 7, 5]);
  });

  it('has unique codes that follow <area>.<n> numbering', () => {
    const codes = CHECKLIST_ITEMS.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const area of CHECKLIST_AREAS) {
      const inArea = checklistItemsOfArea(area.code).map((i) => i.code);
      expect(inArea).toEqual(inArea.map((_, n) => `${area.code}.${n + 1}`));
    }
    expect(new Set(CHECKLIST_AREAS.map((a) => a.code)).size).toBe(4);
  });

  it('gives every item non-empty Chinese text', () => {
    for (const item of CHECKLIST_ITEMS) {
      for (const text of [item.name, item.checkpoints, item.requirements]) {
        expect(text).toBe(text.trim());
        expect(text).toMatch(HAN);
      }
      expect(item.nameEn.trim()).not.toBe('');
      expect(checklistArea(item.areaCode)).toBeDefined();
    }
  });

  it('matches the seed verbatim on spot checks', () => {
    expect(checklistItem('1.1')?.name).toBe('各级党委政府主体责任落实情况');
    expect(checklistItem('2.4')?.name).toBe('饮水安全政策');
    expect(checklistItem('3.7')?.name).toBe('乡村治理情况');
    expect(checklistItem('4.1')?.name).toBe('巩固“两不愁三保障”和饮水安全成效');
    expect(checklistItem('4.5')?.name).toBe('工作认可满意情况');
    expect(checklistItem('3.5')?.requirements).toBe('各项政策贯彻落实到位，切实巩固拓展脱贫攻坚成果。');
    expect(checklistItem('2.3')?.requirements).toBe(
      '落实农村低收入群体家庭住房保障政策和程序规范，对新发现C、D级危户的立即改造;脱贫户、监测户房屋鉴定符合规定要求。',
    );
  });

  it('returns undefined for unknown codes', () => {
    expect(checklistItem('5.1')).toBeUndefined();
    expect(checklistItem('3.8')).toBeUndefined();
    expect(checklistItem('')).toBeUndefined();
  });
});
