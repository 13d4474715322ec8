import { LocalDateField } from '../../http/dto-fields';

/** A period of published daily reports, both ends inclusive (Asia/Shanghai dates). */
export class DateRangeDto {
  @LocalDateField('起始日期（含，北京时间）', true)
  from?: string;

  @LocalDateField('截止日期（含，北京时间）', true)
  to?: string;
}
