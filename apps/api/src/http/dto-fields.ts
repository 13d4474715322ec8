import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

// Field decorators shared by the command DTOs: one vocabulary of validations, each with its Chinese message.

const optional = (opt: boolean) => (opt ? [IsOptional()] : []);

/** Free text a person signs: present, non-empty, bounded. */
export const Text = (description: string, maxLength: number, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, maxLength }),
    ...optional(opt),
    IsString({ message: '必须是文本' }),
    IsNotEmpty({ message: '不能为空' }),
    MaxLength(maxLength, { message: `不能超过 ${maxLength} 个字符` }),
  );

/** A list of short texts (evidence hashes, measures). */
export const TextList = (description: string, opts: { min?: number; max: number; itemMax: number; optional?: boolean }) =>
  applyDecorators(
    (opts.optional ? ApiPropertyOptional : ApiProperty)({ description, type: [String], maxItems: opts.max }),
    ...optional(!!opts.optional),
    IsArray({ message: '必须是数组' }),
    ...(opts.min ? [ArrayMinSize(opts.min, { message: `至少 ${opts.min} 项` })] : []),
    ArrayMaxSize(opts.max, { message: `最多 ${opts.max} 项` }),
    IsString({ each: true, message: '每一项必须是文本' }),
    IsNotEmpty({ each: true, message: '每一项不能为空' }),
    MaxLength(opts.itemMax, { each: true, message: `每一项不能超过 ${opts.itemMax} 个字符` }),
  );

export const EvidenceList = () =>
  TextList('佐证材料：先以 POST /evidence 上传文件，这里填其 SHA-256（未上传的为 400 UNKNOWN_EVIDENCE）', {
    max: 50,
    itemMax: 500,
    optional: true,
  });

/** A whole number in a range (workdays, percent). */
export const WholeNumber = (description: string, min: number, max: number, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, minimum: min, maximum: max }),
    ...optional(opt),
    IsInt({ message: '必须是整数' }),
    Min(min, { message: `不能小于 ${min}` }),
    Max(max, { message: `不能大于 ${max}` }),
  );

/**
 * A whole number sent as a query string: only plain decimal digits become a number. `Number()` would also take
 * '1e21', '0x10', '' and ' 5' — 1e21 passes IsInt and reached SQL as an OFFSET PostgreSQL cannot read.
 * Anything else stays a string, so IsInt names the field.
 */
export const QueryWholeNumber = () =>
  Transform(({ value }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value));

export const UnitId = (description: string, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, example: 'town-04' }),
    ...optional(opt),
    IsString({ message: '必须是文本' }),
    Matches(/^[a-z0-9-]{2,64}$/, { message: '编号只能包含小写字母、数字和连字符' }),
  );

export const OneOf = (values: readonly string[], description: string, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, enum: [...values] }),
    ...optional(opt),
    IsIn([...values], { message: `必须是 ${values.join('、')} 之一` }),
  );

export const ChecklistCode = (opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description: '检查清单条目编号（附件清单三）', example: '2.3' }),
    ...optional(opt),
    IsString({ message: '必须是文本' }),
    Matches(/^[1-9]\.[1-9][0-9]?$/, { message: '清单条目编号格式应为 2.3' }),
  );

export const LocalDateField = (description: string, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, example: '2026-11-30' }),
    ...optional(opt),
    IsString({ message: '必须是 YYYY-MM-DD 日期' }),
    Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: '必须是 YYYY-MM-DD 日期' }),
  );

/** A wall-clock time (HH:MM, Asia/Shanghai): cut-off hours, reminder and digest hours. */
export const LocalTimeField = (description: string, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ description, example: '17:30' }),
    ...optional(opt),
    IsString({ message: '必须是 HH:MM 时间' }),
    Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '必须是 HH:MM 时间' }),
  );

/** A nested object validated by its own DTO class. */
export const NestedObject = <T>(type: () => new () => T, description: string, opt = false) =>
  applyDecorators(
    (opt ? ApiPropertyOptional : ApiProperty)({ type, description }),
    ...optional(opt),
    IsObject({ message: '必须是对象' }),
    ValidateNested({ message: '必须是对象' }),
    Type(type),
  );
