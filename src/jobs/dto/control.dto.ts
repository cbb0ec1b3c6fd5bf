import { ApiPropertyOptional } from '@nestjs/swagger';
import { MaxItems } from '../../common/paging/max-items';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CharLength, IsSafeText } from '../../common/validation/safe-text';

export class PatchJobDto {
  @ApiPropertyOptional({ maxLength: 255, nullable: true })
  @IsOptional()
  @IsString()
  @CharLength(0, 255)
  @IsSafeText()
  name?: string;

  @ApiPropertyOptional({ maxLength: 1024, nullable: true })
  @IsOptional()
  @IsString()
  @CharLength(0, 1024)
  @IsSafeText({ freeText: true })
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['urgent', 'eom'], description: 'Replaces the tags; at most 20' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { each: true, message: 'each tag must be 1-64 characters of letters, digits, "_", ".", ":" or "-"' })
  tags?: string[];
}

export class JobLogsQueryDto {
  @MaxItems() maxItems?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's next link" })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
