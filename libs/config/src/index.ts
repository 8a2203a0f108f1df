export { loadConfig, loadDotEnv, requireSetting, ConfigError, type Config } from './config';
export { envSchema, crossFieldProblems } from './config.schema';
export { readConfigFiles, type ConfigFiles } from './config-files';
export {
  readRoutesFile,
  parseRoutes,
  RoutesFileError,
  routeLevels,
  type RoutesFile,
  type RouteRule,
  type RouteMatch,
  type LevelCondition,
  type RouteLevel,
} from './routes-file';
