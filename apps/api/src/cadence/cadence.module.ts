import { Module } from '@nestjs/common';
import { CadenceReportsQuery, InspectionReportsQuery } from '@duban/read-models';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { BulletinsController, GetBulletinHandler, ListBulletinsHandler } from './bulletins/bulletins.controller';
import {
  DispatchListsController,
  GetDispatchListHandler,
  ListDispatchListsHandler,
} from './dispatch-lists/dispatch-lists.controller';
import { FileInspectionReportController } from './file-inspection-report/file-inspection-report.controller';
import {
  GetInspectionReportsHandler,
  InspectionReportsController,
} from './inspection-reports/inspection-reports.controller';
import { MonthlyReviewExportController } from './monthly-review-export/monthly-review-export.controller';
import {
  GetMonthlyReviewHandler,
  ListMonthlyReviewsHandler,
  MonthlyReviewsController,
} from './monthly-reviews/monthly-reviews.controller';
import { GetAnnualRankingHandler, GetQuarterlyRankingHandler, RankingsController } from './rankings/rankings.controller';
import { ScoringFormulasController } from './scoring-formulas/scoring-formulas.controller';
import {
  GetWeeklyDispatchHandler,
  ListWeeklyDispatchesHandler,
  WeeklyDispatchesController,
} from './weekly-dispatches/weekly-dispatches.controller';

/**
 * The cadence (日督查、日交办、周调度、月讲评): the daily inspection report teams sign, the reports the worker publishes
 * (read here, never computed), the scoring formulas and the monthly ranking export. A campaign's lifecycle (pause,
 * resume, end) belongs to the campaigns (apps/api/src/campaigns).
 */
@Module({
  imports: [CampaignsModule],
  controllers: [
    FileInspectionReportController,
    InspectionReportsController,
    BulletinsController,
    DispatchListsController,
    WeeklyDispatchesController,
    MonthlyReviewExportController,
    MonthlyReviewsController,
    RankingsController,
    ScoringFormulasController,
  ],
  providers: [
    ...queryProviders(InspectionReportsQuery, CadenceReportsQuery),
    GetInspectionReportsHandler,
    ListBulletinsHandler,
    GetBulletinHandler,
    ListDispatchListsHandler,
    GetDispatchListHandler,
    ListWeeklyDispatchesHandler,
    GetWeeklyDispatchHandler,
    ListMonthlyReviewsHandler,
    GetMonthlyReviewHandler,
    GetQuarterlyRankingHandler,
    GetAnnualRankingHandler,
  ],
})
export class CadenceModule {}
