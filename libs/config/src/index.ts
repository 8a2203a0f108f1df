export { loadConfig, loadDotEnv, requireSetting, ConfigError, type Config } from './config';
export { envSchema, crossFieldProblems } from './config.schema';
